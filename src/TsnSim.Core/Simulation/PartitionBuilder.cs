using TsnSim.Core.Clocks;
using TsnSim.Core.Distributed;
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
    /// <summary>The whole topology in one partition.</summary>
    public static Partition Build(TopologyConfig topology, RunSettings settings) =>
        Build(topology, settings, PartitionLayout.Single(topology), null);

    /// <summary>
    /// The partition <paramref name="partitionName"/> of <paramref name="layout"/> (the only one
    /// when null). Links to nodes of other partitions become remote channels and inbound links.
    /// </summary>
    public static Partition Build(TopologyConfig topology, RunSettings settings, PartitionLayout layout, string? partitionName)
    {
        partitionName ??= layout.Partitions.Single();
        var owned = layout.NodesOf(partitionName).ToHashSet();
        var scheduler = new Scheduler();
        var pool = new FramePool();
        var streams = topology.Streams.Select((s, i) => StreamPlan.Resolve(i, s, topology)).ToArray();
        var nodes = new List<Node>();
        var ptpPlans = topology.Ptp is null ? null : Ptp.PtpRoles.Compute(topology);
        var ownedPorts = new Dictionary<PortRef, Port>();
        var portIndex = new Dictionary<PortRef, int>();
        int firstPort = 0;
        for (int i = 0; i < topology.Nodes.Count; i++)
        {
            var config = topology.Nodes[i];
            for (int p = 0; p < config.Ports.Count; p++) portIndex[new PortRef(config.Name, config.Ports[p].Name)] = firstPort + p;
            if (owned.Contains(config.Name))
            {
                // A bridge alone in its partition may run in lanes: set before it schedules anything.
                if (BridgeLanes.PlanFor(topology, settings, layout, partitionName, i, firstPort, out int lanes) is { } laneOf) scheduler.UseLanes(lanes, laneOf);
                // The clock and the timestamp noise draw from generators of their own, so adding either never shifts the node's other draws.
                var clock = new PhcClock(config.Clock, new DeterministicRandom(settings.Seed, $"{config.Name}/clock"), scheduler);
                var context = new NodeContext(scheduler, pool, new DeterministicRandom(settings.Seed, config.Name),
                    new NodeTelemetry(config.Name, streams.Length, settings.FrameLog), streams, settings.Duration)
                {
                    Clock = clock,
                    Timestamper = new HardwareTimestamper(config.Timestamps, clock, new DeterministicRandom(settings.Seed, $"{config.Name}/timestamps")),
                    Tracer = settings.Tracer,
                    Deliveries = settings.Deliveries,
                    Capture = settings.Capture,
                    Ptp = ptpPlans?[config.Name],
                };
                Node node = config.Kind == NodeKind.Switch
                    ? new Bridge(config, i, firstPort, context)
                    : new Host(config, i, firstPort, context);
                nodes.Add(node);
                foreach (var port in node.Ports) ownedPorts[new PortRef(config.Name, port.Name)] = port;
            }
            firstPort += config.Ports.Count;
        }
        // One node that never transmits because of what it receives: let its arrivals run on an
        // event list of their own, so its transmissions can run ahead of them.
        var arrivals = nodes.Count == 1 && !nodes[0].ReceptionsCanTransmit ? new Scheduler() : null;
        var remote = new List<RemoteLinkChannel>();
        var inbound = new List<InboundLink>();
        for (int i = 0; i < topology.Links.Count; i++)
        {
            var link = topology.Links[i];
            if (link.DelayAToB.Picoseconds <= 0 || link.DelayBToA.Picoseconds <= 0)
                throw new ArgumentException($"link {link.A} - {link.B} has a delay of {link.DelayAToB} one way and {link.DelayBToA} the other; a link needs a positive delay both ways to be simulated");
            bool ownsA = ownedPorts.TryGetValue(link.A, out var a);
            bool ownsB = ownedPorts.TryGetValue(link.B, out var b);
            if (ownsA && ownsB)
            {
                a!.Attach(new LocalLinkChannel(2 * i, a, b!, link.Rate, link.DelayAToB, scheduler), link.DelayBToA);
                b!.Attach(new LocalLinkChannel(2 * i + 1, b, a, link.Rate, link.DelayBToA, scheduler), link.DelayAToB);
            }
            else if (ownsA || ownsB)
            {
                // The direction leaving our port is remote outbound; the one entering it, inbound.
                var (mine, theirs, outIndex, outDelay, inDelay) = ownsA ? (a!, link.B, 2 * i, link.DelayAToB, link.DelayBToA) : (b!, link.A, 2 * i + 1, link.DelayBToA, link.DelayAToB);
                var peer = layout.PartitionOf(theirs.Node);
                var channel = new RemoteLinkChannel(outIndex, mine, portIndex[theirs], peer, link.Rate, outDelay);
                var lookahead = LinkChannel.LookaheadOf(link.Rate, inDelay);
                mine.Attach(channel, inDelay);
                remote.Add(channel);
                inbound.Add(new InboundLink(outIndex ^ 1, mine, portIndex[theirs], peer, lookahead, arrivals ?? scheduler, pool));
            }
        }
        return new Partition(partitionName, scheduler, pool, nodes, remote, inbound, inbound.Count > 0 ? arrivals : null);
    }
}
