namespace TsnSim.Core.Ptp.Messages;

/// <summary>
/// Pdelay_Resp (1588 13.10) and Pdelay_Resp_Follow_Up (13.11) share one layout: a timestamp
/// (requestReceiptTimestamp t2, or responseOriginTimestamp t3) and the requestingPortIdentity; 54 octets.
/// </summary>
public readonly record struct PdelayRespMessage(PtpHeader Header, PtpTimestamp Timestamp, PortIdentity RequestingPortIdentity)
{
    public const ushort Length = PtpHeader.Length + PtpTimestamp.Length + PortIdentity.Length;

    public int Write(Span<byte> bytes)
    {
        Header.Write(bytes);
        Timestamp.Write(bytes[PtpHeader.Length..]);
        RequestingPortIdentity.Write(bytes[(PtpHeader.Length + PtpTimestamp.Length)..]);
        return Length;
    }

    public static PdelayRespMessage Read(PtpHeader header, ReadOnlySpan<byte> bytes) =>
        new(header, PtpTimestamp.Read(bytes[PtpHeader.Length..]), PortIdentity.Read(bytes[(PtpHeader.Length + PtpTimestamp.Length)..]));
}
