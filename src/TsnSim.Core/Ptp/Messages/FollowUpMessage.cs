namespace TsnSim.Core.Ptp.Messages;

/// <summary>Follow_Up (1588 13.7, 802.1AS 11.4.4): preciseOriginTimestamp and the Follow_Up information TLV; 76 octets.</summary>
public readonly record struct FollowUpMessage(PtpHeader Header, PtpTimestamp PreciseOriginTimestamp, FollowUpInformationTlv Information)
{
    public const ushort Length = PtpHeader.Length + PtpTimestamp.Length + FollowUpInformationTlv.Length;

    public int Write(Span<byte> bytes)
    {
        Header.Write(bytes);
        PreciseOriginTimestamp.Write(bytes[PtpHeader.Length..]);
        Information.Write(bytes[(PtpHeader.Length + PtpTimestamp.Length)..]);
        return Length;
    }

    public static bool TryRead(PtpHeader header, ReadOnlySpan<byte> bytes, out FollowUpMessage message)
    {
        message = default;
        if (header.MessageLength < Length || !FollowUpInformationTlv.TryRead(bytes[(PtpHeader.Length + PtpTimestamp.Length)..], out var tlv)) return false;
        message = new FollowUpMessage(header, PtpTimestamp.Read(bytes[PtpHeader.Length..]), tlv);
        return true;
    }
}
