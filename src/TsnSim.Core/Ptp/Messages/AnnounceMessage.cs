using System.Buffers.Binary;

namespace TsnSim.Core.Ptp.Messages;

/// <summary>
/// Announce (1588 13.5, 802.1AS 10.6.3): the grandmaster's priority vector (priority1, clock
/// quality, priority2, identity), stepsRemoved, timeSource, and the path trace TLV (type 8) that
/// lists the clock identities the announce crossed. 64 octets plus 4 + 8 per path entry.
/// </summary>
public readonly record struct AnnounceMessage(
    PtpHeader Header,
    byte GrandmasterPriority1,
    ClockQuality GrandmasterClockQuality,
    byte GrandmasterPriority2,
    ulong GrandmasterIdentity,
    ushort StepsRemoved,
    byte TimeSource,
    IReadOnlyList<ulong> PathTrace)
{
    public const int BodyLength = PtpHeader.Length + 30;
    public const ushort PathTraceTlvType = 0x0008;

    /// <summary>timeSource INTERNAL_OSCILLATOR (0xA0), what a free-running grandmaster announces.</summary>
    public const byte InternalOscillator = 0xA0;

    public static ushort LengthFor(int pathEntries) => (ushort)(BodyLength + 4 + 8 * pathEntries);

    public int Write(Span<byte> bytes)
    {
        Header.Write(bytes);
        var body = bytes[PtpHeader.Length..];
        body[..13].Clear(); // originTimestamp (10), currentUtcOffset (2), reserved (1)
        body[13] = GrandmasterPriority1;
        body[14] = GrandmasterClockQuality.ClockClass;
        body[15] = GrandmasterClockQuality.ClockAccuracy;
        BinaryPrimitives.WriteUInt16BigEndian(body[16..], GrandmasterClockQuality.OffsetScaledLogVariance);
        body[18] = GrandmasterPriority2;
        BinaryPrimitives.WriteUInt64BigEndian(body[19..], GrandmasterIdentity);
        BinaryPrimitives.WriteUInt16BigEndian(body[27..], StepsRemoved);
        body[29] = TimeSource;
        var tlv = bytes[BodyLength..];
        BinaryPrimitives.WriteUInt16BigEndian(tlv, PathTraceTlvType);
        BinaryPrimitives.WriteUInt16BigEndian(tlv[2..], (ushort)(8 * PathTrace.Count));
        for (int i = 0; i < PathTrace.Count; i++) BinaryPrimitives.WriteUInt64BigEndian(tlv[(4 + 8 * i)..], PathTrace[i]);
        return LengthFor(PathTrace.Count);
    }

    public static bool TryRead(PtpHeader header, ReadOnlySpan<byte> bytes, out AnnounceMessage message)
    {
        message = default;
        if (header.MessageLength < BodyLength) return false;
        var body = bytes[PtpHeader.Length..];
        var path = new List<ulong>();
        if (header.MessageLength >= BodyLength + 4 && BinaryPrimitives.ReadUInt16BigEndian(bytes[BodyLength..]) == PathTraceTlvType)
        {
            int length = BinaryPrimitives.ReadUInt16BigEndian(bytes[(BodyLength + 2)..]);
            if (length % 8 != 0 || BodyLength + 4 + length > header.MessageLength) return false;
            for (int i = 0; i < length / 8; i++) path.Add(BinaryPrimitives.ReadUInt64BigEndian(bytes[(BodyLength + 4 + 8 * i)..]));
        }
        message = new AnnounceMessage(header, body[13], new ClockQuality(body[14], body[15], BinaryPrimitives.ReadUInt16BigEndian(body[16..])),
            body[18], BinaryPrimitives.ReadUInt64BigEndian(body[19..]), BinaryPrimitives.ReadUInt16BigEndian(body[27..]), body[29], path);
        return true;
    }
}
