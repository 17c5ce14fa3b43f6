namespace TsnSim.Core.Tsn;

/// <summary>
/// A port's TSN egress, in tc's vocabulary: <see cref="NumTrafficClasses"/> classes (mqprio's
/// num_tc), the map of the 16 priorities to classes (a frame's priority is its PCP, 0 when
/// untagged), the Tx queues of each class as count@offset, strict priority between classes
/// (the higher class first) and, optionally, a gate control list (taprio).
/// </summary>
public sealed record EgressConfig(int NumTrafficClasses, IReadOnlyList<byte> PriorityMap, IReadOnlyList<(int Count, int Offset)> Queues)
{
    public GateControlList? Schedule { get; init; }

    /// <summary>Gate schedules installed later in the run, each at its true time (taprio's admin schedules).</summary>
    public IReadOnlyList<GateScheduleChange> ScheduleChanges { get; init; } = [];

    /// <summary>The credit-based shapers, by traffic class.</summary>
    public IReadOnlyDictionary<int, CreditBasedShaperConfig> Shapers { get; init; } = new Dictionary<int, CreditBasedShaperConfig>();

    /// <summary>The etf qdiscs (launch-time handling), by traffic class; a class without one keeps the default (see <see cref="TransmissionSelection"/>).</summary>
    public IReadOnlyDictionary<int, EtfConfig> Etf { get; init; } = new Dictionary<int, EtfConfig>();

    /// <summary>How many gate control entries a port accepts, as real switches bound them.</summary>
    public int MaxEntries { get; init; } = 1024;

    public int ClassOf(int priority) => PriorityMap[priority & 0xF];

    /// <summary>The Tx queues the classes use: up to the highest offset + count.</summary>
    public int TxQueueCount => Queues.Max(q => q.Offset + q.Count);

    /// <summary>
    /// A multi-queue NIC's port without traffic classes of its own: one class over all
    /// <paramref name="txQueues"/> Tx queues, as Linux's mq qdisc spreads flows over a NIC's
    /// queues and the NIC serves them in turn.
    /// </summary>
    public static EgressConfig SingleClass(int txQueues) => new(1, new byte[16], [(txQueues, 0)]);
}
