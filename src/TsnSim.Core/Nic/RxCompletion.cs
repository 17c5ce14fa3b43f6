using TsnSim.Core.Time;

namespace TsnSim.Core.Nic;

/// <summary>
/// What the NIC posts on an Rx completion queue with a received packet: its Rx timestamp (node
/// clock), RSS hash and hash type, the queue, whether a steering rule chose it, and for a
/// coalesced unit (on its first segment) the data segments coalesced and the duplicate ACKs
/// absorbed (NDIS_RSC_NBL_INFO).
/// </summary>
public readonly record struct RxCompletion(SimTime Timestamp, uint Hash, RssHashType HashType, int Queue, bool Steered)
{
    public int CoalescedSegments { get; init; }
    public int DuplicateAcks { get; init; }
}
