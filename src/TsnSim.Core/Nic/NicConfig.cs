using TsnSim.Core.Time;

namespace TsnSim.Core.Nic;

/// <summary>
/// A host port's multi-queue NIC: its Rx and Tx queues and their rings over one packet buffer
/// pool, RSS and steering rules that pick an Rx queue, and the host cores that serve the Rx
/// completion queues and the Tx completion queues at a per-packet and per-byte cost.
/// </summary>
public sealed record NicConfig(int RxQueues, RssSettings Rss)
{
    public const int MaximumQueues = 16;

    /// <summary>Descriptors in each Rx queue's ring: how many received packets a queue holds before the host has served them.</summary>
    public int RingSize { get; init; } = 256;

    /// <summary>Buffers in the packet buffer pool that every queue's ring draws from.</summary>
    public int BufferCount { get; init; } = 4096;

    /// <summary>Bytes per buffer; a frame longer than one takes several.</summary>
    public int BufferSize { get; init; } = 2048;

    /// <summary>Host CPU cores that serve the queues.</summary>
    public int Cores { get; init; } = 1;

    /// <summary>The core serving each Rx queue; by default queue i on core i mod <see cref="Cores"/>.</summary>
    public IReadOnlyList<int>? QueueCores { get; init; }

    /// <summary>Host processing per packet served.</summary>
    public SimTime PerPacketCost { get; init; } = SimTime.Zero;

    /// <summary>Host processing per byte served (frame with FCS).</summary>
    public SimTime PerByteCost { get; init; } = SimTime.Zero;

    /// <summary>Steering rules, tried in order ahead of RSS; the first match picks the queue.</summary>
    public IReadOnlyList<FlowRule> Rules { get; init; } = [];

    /// <summary>New lists of steering rules at given times, in time order.</summary>
    public IReadOnlyList<FlowRuleChange> RuleChanges { get; init; } = [];

    /// <summary>Key and table changes at given times, in time order.</summary>
    public IReadOnlyList<RssChange> RssChanges { get; init; } = [];

    /// <summary>Receive segment coalescing; null: off.</summary>
    public RscConfig? Rsc { get; init; }

    /// <summary>The host's IP addresses: its NIC answers ARP and NS for them while it sleeps, its stack while it is awake.</summary>
    public IReadOnlyList<System.Net.IPAddress> Addresses { get; init; } = [];

    /// <summary>Power state changes at given times, in time order.</summary>
    public IReadOnlyList<PowerChange> PowerChanges { get; init; } = [];

    /// <summary>Frames that wake a sleeping host (any of them; the rules' queue is not used).</summary>
    public IReadOnlyList<FlowRule> WakePatterns { get; init; } = [];

    public int CoreOf(int queue) => QueueCores is { } cores ? cores[queue] : queue % Cores;

    /// <summary>Tx queues (submission queue and completion queue pairs); by default as many as Rx queues, as NICs pair them in channels.</summary>
    public int? TxQueueCountSetting { get; init; }

    public int TxQueues => TxQueueCountSetting ?? RxQueues;

    /// <summary>Descriptors in each Tx queue's ring: packets submitted and not yet reclaimed from the completion queue.</summary>
    public int TxRingSize { get; init; } = 256;

    /// <summary>
    /// Packets the host stack holds for each Tx queue while its ring or the pool is full (Linux's
    /// txqueuelen): the application's sends wait there; one more is dropped and counted.
    /// </summary>
    public int TxBacklog { get; init; } = 1000;

    /// <summary>The core serving each Tx completion queue; by default queue i on core i mod <see cref="Cores"/>.</summary>
    public IReadOnlyList<int>? TxQueueCores { get; init; }

    /// <summary>Host processing per Tx completion reclaimed.</summary>
    public SimTime TxPerPacketCost { get; init; } = SimTime.Zero;

    /// <summary>Host processing per byte of a Tx completion reclaimed.</summary>
    public SimTime TxPerByteCost { get; init; } = SimTime.Zero;

    public int TxCoreOf(int queue) => TxQueueCores is { } cores ? cores[queue] : queue % Cores;
}
