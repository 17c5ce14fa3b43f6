using TsnSim.Core.Frames;

namespace TsnSim.Core.Nic;

/// <summary>
/// One Tx queue of a NIC: the submission ring's occupancy (packets submitted whose completion
/// the host has not yet reclaimed), what the host stack holds for it while the ring or the pool
/// is full, and its counters.
/// </summary>
public sealed class TxQueue(int index, int core)
{
    public int Index { get; } = index;

    /// <summary>The core serving this queue's completions.</summary>
    public int Core { get; } = core;

    /// <summary>Packets the host stack holds for this queue, with when each came, oldest first.</summary>
    internal Queue<(Frame Frame, long SincePs)> Backlog { get; } = new();

    /// <summary>Descriptors in use: packets submitted and not yet reclaimed.</summary>
    public int Occupancy { get; internal set; }
    public int MaxOccupancy { get; internal set; }

    /// <summary>Packets submitted to the ring, and their bytes (with FCS).</summary>
    public long Frames { get; internal set; }
    public long Bytes { get; internal set; }

    /// <summary>Packets that found the ring or the pool full and waited in the host stack (backpressure), the most waiting at once, and how long those that went on waited.</summary>
    public long Waited { get; internal set; }
    public int BacklogMax { get; internal set; }
    public long BacklogWaitTotalPs { get; internal set; }
    public long BacklogWaitMaxPs { get; internal set; }

    /// <summary>Packets dropped because the host stack already held <see cref="NicConfig.TxBacklog"/> for this queue.</summary>
    public long BacklogDrops { get; internal set; }

    /// <summary>Packets dropped because they need more buffers than the whole pool has.</summary>
    public long BufferDrops { get; internal set; }

    /// <summary>Tx completions reclaimed, and how long they waited for their core, summed and at most.</summary>
    public long Completions { get; internal set; }
    public long CompletionWaitTotalPs { get; internal set; }
    public long CompletionWaitMaxPs { get; internal set; }

    /// <summary>Completions of packets the port dropped after submission (an expired launch time): reclaimed without a Tx timestamp.</summary>
    public long Discarded { get; internal set; }
}
