namespace TsnSim.Core.Nic;

/// <summary>What a frame asked of a host's neighbour responder, and whether it was answered.</summary>
public enum NeighborReply
{
    /// <summary>Not an ARP request or Neighbor Solicitation for one of the host's addresses.</summary>
    None,
    Arp,
    NeighborAdvertisement,
}
