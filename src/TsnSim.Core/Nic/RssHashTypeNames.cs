namespace TsnSim.Core.Nic;

/// <summary>The hash types as the topology, the report and the CLI write them: <c>ipv4</c>, <c>tcp_ipv4</c>, <c>udp_ipv6</c>…</summary>
public static class RssHashTypeNames
{
    public static readonly IReadOnlyList<(string Name, RssHashType Type)> Each =
    [
        ("ipv4", RssHashType.Ipv4), ("tcp_ipv4", RssHashType.TcpIpv4), ("udp_ipv4", RssHashType.UdpIpv4),
        ("ipv6", RssHashType.Ipv6), ("tcp_ipv6", RssHashType.TcpIpv6), ("udp_ipv6", RssHashType.UdpIpv6),
    ];

    public static string NameOf(RssHashType type) => type == RssHashType.None ? "none" : Each.First(e => e.Type == type).Name;

    public static RssHashType? Parse(string name) => Each.FirstOrDefault(e => e.Name == name) is { Name: not null } found ? found.Type : null;
}
