namespace TsnSim.Core.Frames;

/// <summary>IANA protocol numbers the NIC's parser knows (IPv4 protocol, IPv6 next header).</summary>
public static class IpProtocols
{
    public const byte HopByHop = 0;
    public const byte Tcp = 6;
    public const byte Udp = 17;
    public const byte Routing = 43;
    public const byte Fragment = 44;
    public const byte Authentication = 51;
    public const byte Icmpv6 = 58;
    public const byte DestinationOptions = 60;
}
