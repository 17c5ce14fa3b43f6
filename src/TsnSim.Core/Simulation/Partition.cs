using TsnSim.Core.Engine;
using TsnSim.Core.Frames;
using TsnSim.Core.Nodes;
using TsnSim.Core.Time;

namespace TsnSim.Core.Simulation;

/// <summary>
/// A set of nodes with one scheduler and one frame pool: all of a topology in a single-process
/// run, or the share of one process in a distributed run. Nothing in it knows which.
/// </summary>
public sealed class Partition(Scheduler scheduler, FramePool pool, IReadOnlyList<Node> nodes)
{
    private bool _started;

    public Scheduler Scheduler { get; } = scheduler;
    public FramePool Pool { get; } = pool;
    public IReadOnlyList<Node> Nodes { get; } = nodes;

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
