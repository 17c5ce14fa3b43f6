namespace TsnSim.Core.Ptp.Messages;

/// <summary>
/// Delay_Resp (1588 13.8): receiveTimestamp (t4, the Delay_Req's ingress at the master) and the
/// requestingPortIdentity; 54 octets, the layout of <see cref="PdelayRespMessage"/>, whose codec it uses.
/// </summary>
public readonly record struct DelayRespMessage(PtpHeader Header, PtpTimestamp ReceiveTimestamp, PortIdentity RequestingPortIdentity)
{
    public const ushort Length = PdelayRespMessage.Length;

    public int Write(Span<byte> bytes) => new PdelayRespMessage(Header, ReceiveTimestamp, RequestingPortIdentity).Write(bytes);

    public static DelayRespMessage Read(PtpHeader header, ReadOnlySpan<byte> bytes)
    {
        var body = PdelayRespMessage.Read(header, bytes);
        return new DelayRespMessage(header, body.Timestamp, body.RequestingPortIdentity);
    }
}
