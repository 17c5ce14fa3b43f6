namespace TsnSim.Core.Ptp.Messages;

/// <summary>Sync (1588 13.6): header and originTimestamp; two-step, so the timestamp is zero and Follow_Up carries the real one.</summary>
public readonly record struct SyncMessage(PtpHeader Header, PtpTimestamp OriginTimestamp)
{
    public const ushort Length = PtpHeader.Length + PtpTimestamp.Length;

    public int Write(Span<byte> bytes)
    {
        Header.Write(bytes);
        OriginTimestamp.Write(bytes[PtpHeader.Length..]);
        return Length;
    }

    public static SyncMessage Read(PtpHeader header, ReadOnlySpan<byte> bytes) => new(header, PtpTimestamp.Read(bytes[PtpHeader.Length..]));
}
