namespace TsnSim.Core.Nic;

/// <summary>A NIC's neighbour answers: ARP and NS answered by the NIC for a sleeping host (offload) and by the awake host's stack, and frames dropped while it slept.</summary>
public sealed class NeighborCounters
{
    public long ArpOffloaded { get; internal set; }
    public long NsOffloaded { get; internal set; }
    public long ArpAnswered { get; internal set; }
    public long NsAnswered { get; internal set; }
    public long AsleepDrops { get; internal set; }

    internal void Count(NeighborReply kind, bool offloaded)
    {
        if (kind == NeighborReply.Arp) { if (offloaded) ArpOffloaded++; else ArpAnswered++; }
        else if (kind == NeighborReply.NeighborAdvertisement) { if (offloaded) NsOffloaded++; else NsAnswered++; }
    }
}
