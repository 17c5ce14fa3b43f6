using System.Buffers.Binary;

namespace TsnSim.Core.Ptp.Messages;

/// <summary>IEEE 1588 PortIdentity: an 8-octet clockIdentity and a 16-bit port number (10 octets on the wire).</summary>
public readonly record struct PortIdentity(ulong ClockIdentity, ushort PortNumber)
{
    public const int Length = 10;

    /// <summary>The clockIdentity 802.1AS and IEEE 1588 derive from a MAC (EUI-48 → EUI-64): the OUI, FF FE, the rest.</summary>
    public static ulong ClockIdentityOf(Frames.MacAddress mac) =>
        ((mac.Value >> 24) << 40) | (0xFFFEUL << 24) | (mac.Value & 0xFF_FFFF);

    public void Write(Span<byte> bytes)
    {
        BinaryPrimitives.WriteUInt64BigEndian(bytes, ClockIdentity);
        BinaryPrimitives.WriteUInt16BigEndian(bytes[8..], PortNumber);
    }

    public static PortIdentity Read(ReadOnlySpan<byte> bytes) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt16BigEndian(bytes[8..]));

    public override string ToString() => $"{ClockIdentity:x16}-{PortNumber}";
}
