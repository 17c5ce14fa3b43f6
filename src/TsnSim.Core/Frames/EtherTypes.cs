namespace TsnSim.Core.Frames;

public static class EtherTypes
{
    public const ushort Ipv4 = 0x0800;
    public const ushort Arp = 0x0806;
    public const ushort Vlan = 0x8100;
    public const ushort Ipv6 = 0x86DD;
    public const ushort Ptp = 0x88F7;
    /// <summary>IEEE 802 Local Experimental EtherType 1: carries TsnSim's stream payload header.</summary>
    public const ushort LocalExperimental1 = 0x88B5;
}
