using System.Diagnostics;
using TsnSim.Core.Telemetry;
using TsnSim.Core.Topology;

namespace TsnSim.Core.Simulation;

/// <summary>Runs a whole topology in one partition, to the duration plus the drain time, and reports.</summary>
public static class SingleProcessRun
{
    /// <param name="prepare">Runs on the built partition before its first event (to accept replayed injections).</param>
    public static RunReport Execute(TopologyConfig topology, RunSettings settings, Action<Partition>? prepare = null)
    {
        var partition = PartitionBuilder.Build(topology, settings);
        prepare?.Invoke(partition);
        var wall = Stopwatch.StartNew();
        partition.RunUntil(settings.Duration + settings.Drain);
        wall.Stop();
        return RunReport.Build(topology, settings, "run", partition.Nodes, partition.ExecutedEvents, wall.Elapsed);
    }
}
