using TsnSim.Core.Frames;

namespace TsnSim.Core.Ptp.Messages;

/// <summary>
/// PTP over IEEE 802.3 (1588 Annex E): an untagged Ethernet frame to the gPTP peer-delay and
/// link-local address 01-80-C2-00-00-0E, EtherType 0x88F7. Bridges never forward this address
/// (802.1Q's reserved range): a gPTP bridge relays time itself.
/// </summary>
public static class PtpFrame
{
    public static readonly MacAddress GptpDestination = new(0x0180_C200_000E);
    public const int PayloadOffset = Ethernet.HeaderBytes;

    /// <summary>Writes the Ethernet header into <paramref name="buffer"/>; the message goes from <see cref="PayloadOffset"/>.</summary>
    public static void WriteHeader(Span<byte> buffer, MacAddress source)
    {
        GptpDestination.Write(buffer);
        source.Write(buffer[6..]);
        buffer[12] = EtherTypes.Ptp >> 8;
        buffer[13] = EtherTypes.Ptp & 0xFF;
    }

    /// <summary>Whether the frame is a Pdelay_Req: the one PTP message a node answers on the port it came in by.</summary>
    public static bool IsPeerDelayRequest(ReadOnlySpan<byte> frame) =>
        IsPtp(frame) && MacAddress.Read(frame) == GptpDestination && frame[PayloadOffset] == ((PtpHeader.GptpMajorSdoId << 4) | (byte)PtpMessageType.PdelayReq);

    /// <summary>Whether the frame is PTP over Ethernet (untagged), and where its message starts.</summary>
    public static bool IsPtp(ReadOnlySpan<byte> frame) =>
        frame.Length >= PayloadOffset + PtpHeader.Length && frame[12] == EtherTypes.Ptp >> 8 && frame[13] == (EtherTypes.Ptp & 0xFF);
}
