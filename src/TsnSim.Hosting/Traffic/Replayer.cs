using TsnSim.Core.Simulation;
using TsnSim.Core.Topology;

namespace TsnSim.Hosting.Traffic;

/// <summary>Accepts a recorded run's injections on a partition that has not started, in the recorded order.</summary>
public static class Replayer
{
    /// <summary>Accepts the injections for the hosts <paramref name="partition"/> owns; returns how many.</summary>
    public static int AcceptAll(InjectionLog log, TopologyConfig topology, Partition partition)
    {
        var handler = new LiveTrafficHandler(topology, partition);
        int accepted = 0;
        foreach (var (line, injection) in log.Injections)
        {
            if (!handler.Owns(injection.Node) && topology.Nodes.Any(n => n.Name == injection.Node)) continue;
            try
            {
                handler.Replay(injection);
                accepted++;
            }
            catch (InvalidTrafficRequestException e)
            {
                throw new UserInputException($"{log.Path}:{line}: {e.Message}");
            }
        }
        return accepted;
    }
}
