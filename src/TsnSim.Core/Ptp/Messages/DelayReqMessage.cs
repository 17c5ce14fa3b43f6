namespace TsnSim.Core.Ptp.Messages;

/// <summary>Delay_Req (1588 13.6): header and originTimestamp, which a two-step sender leaves zero (its Tx timestamp is t3); 44 octets.</summary>
public readonly record struct DelayReqMessage(PtpHeader Header)
{
    public const ushort Length = PtpHeader.Length + PtpTimestamp.Length;

    public int Write(Span<byte> bytes)
    {
        Header.Write(bytes);
        bytes[PtpHeader.Length..Length].Clear();
        return Length;
    }
}
