using System.Buffers.Binary;
using TsnSim.Core.Time;

namespace TsnSim.Core.Ptp.Messages;

/// <summary>
/// IEEE 1588 Timestamp: 48-bit secondsField and 32-bit nanosecondsField (10 octets). A clock
/// reading in picoseconds keeps its sub-nanosecond part apart (<see cref="FromPicoseconds"/>), to
/// travel in a correctionField.
/// </summary>
public readonly record struct PtpTimestamp(ulong Seconds, uint Nanoseconds)
{
    public const int Length = 10;

    /// <summary>The timestamp of a reading, and the picoseconds below its nanosecond.</summary>
    public static PtpTimestamp FromPicoseconds(SimTime reading, out long subNanosecondPs)
    {
        long ps = reading.Picoseconds;
        if (ps < 0) throw new ArgumentOutOfRangeException(nameof(reading), "a PTP timestamp cannot be negative");
        long ns = ps / 1000;
        subNanosecondPs = ps % 1000;
        return new PtpTimestamp((ulong)(ns / 1_000_000_000), (uint)(ns % 1_000_000_000));
    }

    public long TotalNanoseconds => checked((long)Seconds * 1_000_000_000 + Nanoseconds);

    public void Write(Span<byte> bytes)
    {
        if (Seconds >= 1UL << 48) throw new ArgumentOutOfRangeException(nameof(Seconds), "secondsField holds 48 bits");
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)(Seconds >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(bytes[2..], (uint)Seconds);
        BinaryPrimitives.WriteUInt32BigEndian(bytes[6..], Nanoseconds);
    }

    public static PtpTimestamp Read(ReadOnlySpan<byte> bytes) =>
        new(((ulong)BinaryPrimitives.ReadUInt16BigEndian(bytes) << 32) | BinaryPrimitives.ReadUInt32BigEndian(bytes[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(bytes[6..]));
}
