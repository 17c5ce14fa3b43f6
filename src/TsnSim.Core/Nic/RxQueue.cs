namespace TsnSim.Core.Nic;

/// <summary>
/// One Rx queue of a NIC: its ring's occupancy (packets posted on the completion queue that the
/// host has not yet served) and its counters.
/// </summary>
public sealed class RxQueue(int index, int core)
{
    private readonly HashSet<ulong> _flows = [];

    public int Index { get; } = index;
    public int Core { get; } = core;

    /// <summary>Descriptors in use: packets received into this queue and not yet served.</summary>
    public int Occupancy { get; internal set; }
    public int MaxOccupancy { get; internal set; }
    public long Frames { get; internal set; }
    public long Bytes { get; internal set; }
    /// <summary>Packets a steering rule sent here.</summary>
    public long Steered { get; internal set; }
    /// <summary>Packets dropped because every descriptor of the ring was in use.</summary>
    public long RingDrops { get; internal set; }
    /// <summary>Packets dropped because the buffer pool had too few free buffers.</summary>
    public long BufferDrops { get; internal set; }
    /// <summary>Time packets waited for their core, summed and at most.</summary>
    public long WaitTotalPs { get; internal set; }
    public long WaitMaxPs { get; internal set; }

    /// <summary>Packets handed to the core: frames, or coalesced units counting once.</summary>
    public long Indications { get; internal set; }
    /// <summary>Coalesced units of two segments or more, the data segments in them, and the duplicate ACKs they absorbed.</summary>
    public long RscUnits { get; internal set; }
    public long RscSegments { get; internal set; }
    public long RscDuplicateAcks { get; internal set; }

    /// <summary>Distinct flows seen (by a 64-bit key of their addresses, ports and protocol).</summary>
    public int Flows => _flows.Count;

    internal void SawFlow(ulong key) => _flows.Add(key);
}
