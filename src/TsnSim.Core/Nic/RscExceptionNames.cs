namespace TsnSim.Core.Nic;

/// <summary>How the report names why a segment went on alone: <c>none</c>, <c>no_context</c>, <c>flags</c>, <c>tcp_options</c>…</summary>
public static class RscExceptionNames
{
    public static string NameOf(RscException exception) => exception switch
    {
        RscException.None => "none",
        RscException.NoContext => "no_context",
        RscException.Flags => "flags",
        RscException.TcpOptions => "tcp_options",
        RscException.IpOptions => "ip_options",
        RscException.Fragment => "fragment",
        RscException.Size => "size",
        RscException.EcnChange => "ecn_change",
        RscException.OutOfOrder => "out_of_order",
        RscException.PureAck => "pure_ack",
        RscException.Timestamp => "timestamp",
        _ => exception.ToString(),
    };
}
