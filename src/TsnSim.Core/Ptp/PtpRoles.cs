using TsnSim.Core.Ptp.Messages;
using TsnSim.Core.Topology;

namespace TsnSim.Core.Ptp;

/// <summary>
/// Who is grandmaster and which port of each node leads to it: the result the best master
/// clock algorithm reaches on a loop-free topology once announces have spread. The grandmaster
/// is the node with the best system identity (priority1, clockClass, clockAccuracy,
/// offsetScaledLogVariance, priority2, clockIdentity; lower wins); each other node's slave port
/// is the one on its shortest path to the grandmaster (fewest steps, ties to the lower port),
/// and its other linked ports are master ports. Every node computes the same plan from the file.
/// </summary>
public static class PtpRoles
{
    public static IReadOnlyDictionary<string, PtpPlan> Compute(TopologyConfig topology)
    {
        var config = topology.Ptp ?? throw new InvalidOperationException("the topology runs no PTP");
        var grandmaster = topology.Nodes.MinBy(n => (n.Ptp.Priority1, n.Ptp.Quality.ClockClass, n.Ptp.Quality.ClockAccuracy,
            n.Ptp.Quality.OffsetScaledLogVariance, n.Ptp.Priority2, PortIdentity.ClockIdentityOf(n.Mac)))!;
        var neighbours = topology.Nodes.ToDictionary(n => n.Name, _ => new List<(int Port, string Peer, long DelayPs)>());
        foreach (var link in topology.Links)
        {
            neighbours[link.A.Node].Add((topology.Node(link.A.Node).PortIndex(link.A.Port), link.B.Node, link.Delay.Picoseconds));
            neighbours[link.B.Node].Add((topology.Node(link.B.Node).PortIndex(link.B.Port), link.A.Node, link.Delay.Picoseconds));
        }
        var slavePort = new Dictionary<string, int> { [grandmaster.Name] = -1 };
        var frontier = new Queue<string>([grandmaster.Name]);
        while (frontier.Count > 0)
        {
            var node = frontier.Dequeue();
            // Neighbours in a fixed order, so the tree does not depend on the file's link order more than it must.
            foreach (var (_, peer, _) in neighbours[node].OrderBy(n => n.Port))
            {
                if (slavePort.ContainsKey(peer)) continue;
                slavePort[peer] = neighbours[peer].Where(n => n.Peer == node).Min(n => n.Port);
                frontier.Enqueue(peer);
            }
        }
        return topology.Nodes.ToDictionary(n => n.Name,
            n => new PtpPlan(config, n.Name == grandmaster.Name, slavePort.GetValueOrDefault(n.Name, -2), grandmaster.Name)
            {
                PathDelaysPs = config.Profile == PtpProfile.E2e && n.Kind != NodeKind.Switch ? PathDelays(topology, neighbours, n.Name) : new Dictionary<ulong, long>(),
            });
    }

    /// <summary>The delay from <paramref name="from"/> to every host along the fewest hops (ties to the lower port), by clockIdentity.</summary>
    private static Dictionary<ulong, long> PathDelays(TopologyConfig topology, Dictionary<string, List<(int Port, string Peer, long DelayPs)>> neighbours, string from)
    {
        var delays = new Dictionary<string, long> { [from] = 0 };
        var frontier = new Queue<string>([from]);
        while (frontier.Count > 0)
        {
            var node = frontier.Dequeue();
            foreach (var (_, peer, delay) in neighbours[node].OrderBy(n => n.Port))
            {
                if (delays.ContainsKey(peer)) continue;
                delays[peer] = delays[node] + delay;
                frontier.Enqueue(peer);
            }
        }
        return topology.Nodes.Where(n => n.Kind != NodeKind.Switch && n.Name != from && delays.ContainsKey(n.Name))
            .ToDictionary(n => PortIdentity.ClockIdentityOf(n.Mac), n => delays[n.Name]);
    }
}
