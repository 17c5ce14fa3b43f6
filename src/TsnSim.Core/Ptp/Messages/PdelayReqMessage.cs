namespace TsnSim.Core.Ptp.Messages;

/// <summary>Pdelay_Req (1588 13.9): originTimestamp (zero in gPTP) and 10 reserved octets; 54 octets.</summary>
public readonly record struct PdelayReqMessage(PtpHeader Header)
{
    public const ushort Length = PtpHeader.Length + PtpTimestamp.Length + 10;

    public int Write(Span<byte> bytes)
    {
        Header.Write(bytes);
        bytes[PtpHeader.Length..Length].Clear();
        return Length;
    }
}
