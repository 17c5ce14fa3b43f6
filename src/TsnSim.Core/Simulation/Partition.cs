using TsnSim.Core.Distributed;
using TsnSim.Core.Engine;
using TsnSim.Core.Frames;
using TsnSim.Core.Nodes;
using TsnSim.Core.Time;

namespace TsnSim.Core.Simulation;

/// <summary>
/// A set of nodes with one scheduler and one frame pool: all of a topology in a single-process
/// run, or the share of one process in a distributed run, with the link ends that lead to
/// other partitions. The nodes cannot tell which.
/// </summary>
public sealed class Partition(
    string name,
    Scheduler scheduler,
    FramePool pool,
    IReadOnlyList<Node> nodes,
    IReadOnlyList<RemoteLinkChannel> remoteChannels,
    IReadOnlyList<InboundLink> inboundLinks,
    Scheduler? arrivalScheduler = null)
{
    private bool _started;

    public string Name { get; } = name;
    public Scheduler Scheduler { get; } = scheduler;
    public FramePool Pool { get; } = pool;
    public IReadOnlyList<Node> Nodes { get; } = nodes;

    /// <summary>Link directions leaving this partition.</summary>
    public IReadOnlyList<RemoteLinkChannel> RemoteChannels { get; } = remoteChannels;

    /// <summary>Link directions entering this partition from others.</summary>
    public IReadOnlyList<InboundLink> InboundLinks { get; } = inboundLinks;

    /// <summary>
    /// A second event list for the frames arriving from other partitions, when the partition is
    /// one node whose receptions never make it transmit (a host): its own transmissions then
    /// need not wait for what it has yet to receive. Null otherwise.
    /// </summary>
    public Scheduler? ArrivalScheduler { get; } = arrivalScheduler;

    public long ExecutedEvents => Scheduler.ExecutedEvents + (ArrivalScheduler?.ExecutedEvents ?? 0);

    /// <summary>Schedules every node's first events; idempotent.</summary>
    public void Start()
    {
        if (_started) return;
        _started = true;
        foreach (var node in Nodes) node.Start();
    }

    /// <summary>Runs every event up to and including <paramref name="limit"/>.</summary>
    public long RunUntil(SimTime limit)
    {
        Start();
        return Scheduler.RunUntil(limit);
    }
}
