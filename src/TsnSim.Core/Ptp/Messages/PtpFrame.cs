using TsnSim.Core.Frames;

namespace TsnSim.Core.Ptp.Messages;

/// <summary>
/// PTP over IEEE 802.3 (1588 Annex E): an untagged Ethernet frame, EtherType 0x88F7, to the gPTP
/// peer-delay and link-local address 01-80-C2-00-00-0E, which bridges never forward (802.1Q's
/// reserved range: a gPTP bridge relays time itself), or, for the 1588 default profile's
/// end-to-end messages, to 01-1B-19-00-00-00, which bridges forward like any group address.
/// </summary>
public static class PtpFrame
{
    public static readonly MacAddress GptpDestination = new(0x0180_C200_000E);
    public static readonly MacAddress E2eDestination = new(0x011B_1900_0000);
    public const int PayloadOffset = Ethernet.HeaderBytes;

    /// <summary>Writes the Ethernet header into <paramref name="buffer"/>; the message goes from <see cref="PayloadOffset"/>.</summary>
    public static void WriteHeader(Span<byte> buffer, MacAddress source, MacAddress destination)
    {
        destination.Write(buffer);
        source.Write(buffer[6..]);
        buffer[12] = EtherTypes.Ptp >> 8;
        buffer[13] = EtherTypes.Ptp & 0xFF;
    }

    /// <summary>
    /// Whether the frame is a request some PTP node answers on the port it came in by: a gPTP
    /// Pdelay_Req, or a 1588 Delay_Req (which a master answers).
    /// </summary>
    public static bool IsAnsweredOnIngress(ReadOnlySpan<byte> frame) => IsPeerDelayRequest(frame) || IsDelayRequest(frame);

    /// <summary>A gPTP Pdelay_Req (majorSdoId 1, to the link-local address).</summary>
    public static bool IsPeerDelayRequest(ReadOnlySpan<byte> frame) =>
        IsPtp(frame) && MacAddress.Read(frame) == GptpDestination && frame[PayloadOffset] == ((PtpHeader.GptpMajorSdoId << 4) | (byte)PtpMessageType.PdelayReq);

    /// <summary>A 1588 default-profile Delay_Req (majorSdoId 0, to 01-1B-19-00-00-00).</summary>
    public static bool IsDelayRequest(ReadOnlySpan<byte> frame) =>
        IsPtp(frame) && MacAddress.Read(frame) == E2eDestination && frame[PayloadOffset] == (byte)PtpMessageType.DelayReq;

    /// <summary>Whether the frame is PTP over Ethernet (untagged), and where its message starts.</summary>
    public static bool IsPtp(ReadOnlySpan<byte> frame) =>
        frame.Length >= PayloadOffset + PtpHeader.Length && frame[12] == EtherTypes.Ptp >> 8 && frame[13] == (EtherTypes.Ptp & 0xFF);
}
