namespace TsnSim.Core.Nic;

/// <summary>
/// NDIS's RSS hash types (NDIS_HASH_*), as flags: which headers a hash covers. A received
/// packet gets at most one; <see cref="None"/> on an Rx completion means it was not hashed.
/// The _EX variants (IPv6 home address and routing header type 2) are not modelled.
/// </summary>
[Flags]
public enum RssHashType
{
    None = 0,
    Ipv4 = 0x100,
    TcpIpv4 = 0x200,
    Ipv6 = 0x400,
    TcpIpv6 = 0x1000,
    UdpIpv4 = 0x4000,
    UdpIpv6 = 0x8000,
    All = Ipv4 | TcpIpv4 | UdpIpv4 | Ipv6 | TcpIpv6 | UdpIpv6,
}
