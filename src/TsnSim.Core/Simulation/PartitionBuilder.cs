using TsnSim.Core.Engine;
using TsnSim.Core.Frames;
using TsnSim.Core.Links;
using TsnSim.Core.Nodes;
using TsnSim.Core.Telemetry;
using TsnSim.Core.Topology;
using TsnSim.Core.Traffic;

namespace TsnSim.Core.Simulation;

/// <summary>
/// Builds the partition that owns some of a topology's nodes. Every global index (node, port,
/// link direction, stream) comes from the topology's order alone, so two processes that each
/// build their own share agree on all of them.
/// </summary>
public static class PartitionBuilder
{
    public static Partition Build(TopologyConfig topology, RunSettings settings, IReadOnlySet<string>? owned = null)
    {
        var scheduler = new Scheduler();
        var pool = new FramePool();
        var streams = topology.Streams.Select((s, i) => StreamPlan.Resolve(i, s, topology)).ToArray();
        var nodes = new List<Node>();
        var portsByName = new Dictionary<PortRef, Port>();
        int firstPort = 0;
        for (int i = 0; i < topology.Nodes.Count; i++)
        {
            var config = topology.Nodes[i];
            if (owned is null || owned.Contains(config.Name))
            {
                var context = new NodeContext(scheduler, pool, new DeterministicRandom(settings.Seed, config.Name),
                    new NodeTelemetry(config.Name, streams.Length, settings.FrameLog), streams, settings.Duration);
                Node node = config.Kind == NodeKind.Switch
                    ? new Bridge(config, i, firstPort, context)
                    : new Host(config, i, firstPort, context);
                nodes.Add(node);
                foreach (var port in node.Ports) portsByName[new PortRef(config.Name, port.Name)] = port;
            }
            firstPort += config.Ports.Count;
        }
        for (int i = 0; i < topology.Links.Count; i++)
        {
            var link = topology.Links[i];
            bool ownsA = portsByName.TryGetValue(link.A, out var a);
            bool ownsB = portsByName.TryGetValue(link.B, out var b);
            if (ownsA != ownsB)
                throw new NotSupportedException($"link {link.A} - {link.B} crosses partitions; this build runs every node in one process");
            if (!ownsA) continue;
            a!.Attach(new LocalLinkChannel(2 * i, a, b!, link.Rate, link.Delay, scheduler));
            b!.Attach(new LocalLinkChannel(2 * i + 1, b, a, link.Rate, link.Delay, scheduler));
        }
        return new Partition(scheduler, pool, nodes);
    }
}
