using TsnSim.Core.Time;

namespace TsnSim.Core.Nic;

/// <summary>
/// What the NIC posts on an Rx completion queue with a received packet: its Rx timestamp (node
/// clock), RSS hash and hash type, the queue, and whether a steering rule chose it.
/// </summary>
public readonly record struct RxCompletion(SimTime Timestamp, uint Hash, RssHashType HashType, int Queue, bool Steered);
