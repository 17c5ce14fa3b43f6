using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using TsnSim.Core.Distributed;
using TsnSim.Core.Simulation;
using TsnSim.Core.Telemetry;
using TsnSim.Core.Time;
using TsnSim.Core.Topology;
using TsnSim.Tests.Support;

namespace TsnSim.Tests.Distributed;

/// <summary>
/// A bridge alone in its partition runs its ports as lanes, out of time order where order cannot
/// matter. The reference is the single event list: the same topology in one process must give
/// the same hops, in the same order, whatever learning, aging, flooding or address moves do.
/// </summary>
public class BridgeLanesTests
{
    private static TopologyConfig Load(string yaml)
    {
        var result = TopologyLoader.Load(yaml, "lanes.yaml");
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics) + "\n" + yaml);
        return result.Topology!;
    }

    private static bool HasLanes(TopologyConfig topology, string node, RunSettings? settings = null)
    {
        settings ??= new RunSettings(1, SimTime.Parse("1ms"), SimTime.Zero);
        return PartitionBuilder.Build(topology, settings, PartitionLayout.OnePerNode(topology), node).Scheduler.HasLanes;
    }

    /// <summary>
    /// A random tree of bridges with hosts hung on it, some of them on two bridges at once (so
    /// their address moves between ports as they send from one or the other), unicast and group
    /// streams both ways, and aging times short enough that entries expire and floods resume.
    /// </summary>
    private static string RandomTree(int bridges, int[] parents, int hosts, int[] homes, int[] secondHomes, (int From, int To, int Period, int Size, int Start, bool Group, bool Second)[] streams,
        int agingUs, int processingNs, int delayNs)
    {
        var ports = new int[bridges];
        var text = new StringBuilder();
        text.AppendLine("name: lanes");
        text.AppendLine("duration: 4ms");
        text.AppendLine(CultureInfo.InvariantCulture, $"defaults: {{ link: {{ rate: 1Gbps, delay: {delayNs}ns }}, switch: {{ processing: {processingNs}ns }} }}");
        var links = new List<string>();
        for (int b = 1; b < bridges; b++) links.Add($"[\"s{parents[b - 1]}:eth{ports[parents[b - 1]]++}\", \"s{b}:eth{ports[b]++}\"]");
        var hostPorts = new int[hosts];
        for (int h = 0; h < hosts; h++)
        {
            links.Add($"[\"h{h}:eth{hostPorts[h]++}\", \"s{homes[h]}:eth{ports[homes[h]]++}\"]");
            if (secondHomes[h] >= 0 && secondHomes[h] != homes[h]) links.Add($"[\"h{h}:eth{hostPorts[h]++}\", \"s{secondHomes[h]}:eth{ports[secondHomes[h]]++}\"]");
        }
        text.AppendLine("nodes:");
        for (int h = 0; h < hosts; h++) text.AppendLine(CultureInfo.InvariantCulture, $"  h{h}: {{ kind: host, ports: {hostPorts[h]} }}");
        for (int b = 0; b < bridges; b++) text.AppendLine(CultureInfo.InvariantCulture, $"  s{b}: {{ kind: switch, ports: {Math.Max(1, ports[b])}, aging: {agingUs}us }}");
        text.AppendLine("links:");
        foreach (var link in links) text.AppendLine($"  - endpoints: {link}");
        text.AppendLine("streams:");
        for (int i = 0; i < streams.Length; i++)
        {
            var s = streams[i];
            int to = s.To == s.From ? (s.From + 1) % hosts : s.To;
            string port = s.Second && hostPorts[s.From] > 1 ? ", port: eth1" : "";
            string listeners = s.Group
                ? $"listeners: [{string.Join(", ", Enumerable.Range(0, hosts).Where(h => h != s.From).Select(h => $"h{h}"))}], dst: \"01:00:5e:00:00:{i + 1:x2}\""
                : $"listeners: [h{to}]";
            text.AppendLine(CultureInfo.InvariantCulture, $"  - {{ name: f{i}, talker: h{s.From}{port}, {listeners}, period: {s.Period}us, size: {s.Size}, start: {s.Start}us }}");
        }
        return text.ToString();
    }

    [Fact]
    public void OverRandomBridgedTreesLanesGiveTheSingleEventListsRun()
    {
        var cases = from bridges in Gen.Choose(2, 4)
                    from parents in Gen.Choose(0, 3).ArrayOf(3)
                    from hosts in Gen.Choose(2, 5)
                    from homes in Gen.Choose(0, 3).ArrayOf(5)
                    from secondHomes in Gen.Choose(-2, 3).ArrayOf(5)
                    from streams in (from talker in Gen.Choose(0, 4)
                                     from listener in Gen.Choose(0, 4)
                                     from period in Gen.Choose(15, 200)
                                     from size in Gen.Choose(64, 1500)
                                     from start in Gen.Choose(0, 300)
                                     from toGroup in Gen.Choose(0, 5)
                                     from second in Gen.Choose(0, 1)
                                     select (talker, listener, period, size, start, toGroup == 0, second == 1)).ArrayOf(8)
                    from agingUs in Gen.Elements(20, 50, 120, 300_000_000)
                    from processingNs in Gen.Elements(1, 700, 3000)
                    from delayNs in Gen.Elements(1, 100, 2000)
                    from shuffle in Gen.Choose(0, 1000)
                    select (bridges, parents, hosts, homes, secondHomes, streams, agingUs, processingNs, delayNs, shuffle);
        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            int[] parents = Enumerable.Range(1, c.bridges - 1).Select(b => c.parents[b - 1] % b).ToArray();
            int[] homes = c.homes.Take(c.hosts).Select(h => h % c.bridges).ToArray();
            int[] seconds = c.secondHomes.Take(c.hosts).Select(h => h < 0 ? -1 : h % c.bridges).ToArray();
            var streams = c.streams.Select(s => (s.Item1 % c.hosts, s.Item2 % c.hosts, s.Item3, s.Item4, s.Item5, s.Item6, s.Item7)).ToArray();
            var yaml = RandomTree(c.bridges, parents, c.hosts, homes, seconds, streams, c.agingUs, c.processingNs, c.delayNs);
            var topology = Load(yaml);
            var settings = new RunSettings(1, topology.Duration!.Value, topology.Drain);
            Assert.True(HasLanes(topology, "s0", settings), "a bridge alone in its partition runs in lanes");
            var single = SingleProcessRun.Execute(topology, settings);
            var split = InMemoryDistributedRun.Execute(topology, settings, PartitionLayout.OnePerNode(topology), (ulong)c.shuffle);
            LayoutIndependenceTests.AssertSameRun(single, split);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(150));
    }

    private const string Chain = """
        name: chain
        duration: 5ms
        defaults: { link: { rate: 1Gbps, delay: 1us }, switch: { processing: 1us } }
        nodes:
          a: { kind: host, ports: 1 }
          b: { kind: host, ports: 1 }
          s: { kind: switch, ports: 2 }
        links:
          - endpoints: ["a:eth0", "s:eth0"]
          - endpoints: ["s:eth1", "b:eth0"]
        streams:
          - { name: ab, talker: a, listeners: [b], period: 100us, size: 128 }
          - { name: ba, talker: b, listeners: [a], period: 100us, size: 128, start: 50us }
        """;

    [Fact]
    public void OnlyABridgeWhoseEventsAllHaveALaneRunsInLanes()
    {
        var plain = Load(Chain);
        Assert.True(HasLanes(plain, "s"));
        Assert.False(HasLanes(plain, "a"), "a host keeps its own split of arrivals and sends");
        // Forwarding in the same instant as learning leaves no step between them to run apart.
        Assert.False(HasLanes(Load(Chain.Replace("processing: 1us", "processing: 0ns")), "s"));
        // Gates and shapers read the node's clock; a PTP bridge answers and relays on its own timers.
        Assert.False(HasLanes(Load(Chain.Replace("s: { kind: switch, ports: 2 }", "s: { kind: switch, ports: 2, egress: { taprio: \"num_tc 2 map 0 0 0 0 0 0 1 0 0 0 0 0 0 0 0 0 queues 1@0 1@1 base-time 0 sched-entry S 03 100000 clockid CLOCK_TAI\" } }")), "s"));
        Assert.False(HasLanes(Load(Chain.Replace("nodes:", "ptp: { profile: gptp }\nnodes:")), "s"));
        // Traces and captures record as the events run.
        Assert.False(HasLanes(plain, "s", new RunSettings(1, SimTime.Parse("1ms"), SimTime.Zero) { Capture = new NoCapture() }));
        // Nothing to run apart from in one process.
        Assert.False(PartitionBuilder.Build(plain, new RunSettings(1, SimTime.Parse("1ms"), SimTime.Zero)).Scheduler.HasLanes);
    }

    private sealed class NoCapture : IFrameCapture
    {
        public void OnFrame(Core.Links.Port port, Core.Frames.Frame frame, SimTime at, bool outbound)
        {
        }
    }

    [Fact]
    public void AHostThatHasSentItsAddressPromisesNoOtherUntilTheEnd()
    {
        var topology = Load(Chain.Replace("duration: 5ms", "duration: 1s"));
        var settings = new RunSettings(1, topology.Duration!.Value, SimTime.Zero);
        var a = new ConservativeSynchronizer(PartitionBuilder.Build(topology, settings, PartitionLayout.OnePerNode(topology), "a"), settings.Duration);
        a.Advance();
        var batch = Assert.Single(a.CollectOutgoing());
        // a's first frame, sent at 0, carries its address; a plain host sends no other unless a client injects bytes, and this run takes none.
        Assert.NotEmpty(batch.Frames);
        var promise = Assert.Single(batch.Promises);
        Assert.True(promise.UntilPs < settings.Duration.Picoseconds);
        Assert.Equal(long.MaxValue, promise.NoveltyUntilPs);
    }

    private const string ThreePorts = """
        name: three
        duration: 1ms
        defaults: { link: { rate: 1Gbps, delay: 1us }, switch: { processing: 1us } }
        nodes:
          h1: { kind: host, ports: 1 }
          h2: { kind: host, ports: 1 }
          h3: { kind: host, ports: 1 }
          s: { kind: switch, ports: 3 }
        links:
          - endpoints: ["h1:eth0", "s:eth0"]
          - endpoints: ["h2:eth0", "s:eth1"]
          - endpoints: ["h3:eth0", "s:eth2"]
        """;

    private static byte[] FrameBetween(TopologyConfig topology, string from, string to)
    {
        var bytes = new byte[60];
        topology.Node(to).Mac.Write(bytes);
        topology.Node(from).Mac.Write(bytes.AsSpan(6));
        bytes[12] = 0x88;
        bytes[13] = 0xB5;
        return bytes;
    }

    /// <summary>Runs the bridge as far as it can go, then gives the frames it has sent, by the host they went to, as (source, destination) names.</summary>
    private static Dictionary<string, List<(string From, string To)>> Sent(TopologyConfig topology, ConservativeSynchronizer bridge)
    {
        while (bridge.Advance())
        {
        }
        string Name(Core.Frames.MacAddress mac) => topology.Nodes.Single(n => n.Mac == mac).Name;
        return bridge.CollectOutgoing().ToDictionary(b => b.Peer, b => b.Frames
            .Select(f => (Name(Core.Frames.MacAddress.Read(f.Frame.Bytes[6..])), Name(Core.Frames.MacAddress.Read(f.Frame.Bytes)))).ToList());
    }

    [Fact]
    public void AForwardWaitsWhileAnotherPortMayStillTeachItsDestination()
    {
        // 802.1Q learning: a frame from h2 that arrives before h1's frame is forwarded teaches the bridge where h2 is,
        // and h1's frame then goes to h2 alone instead of being flooded. Until port eth1 can no longer bring h2's
        // address before that instant, the forward must wait.
        var (topology, bridge, links) = ThreePortBridge();
        // eth1 may bring frames from 10.5 us on, forwarded from 11.5 us: after h1's frame is forwarded at 11 us, so no
        // egress port waits for them. But one of them may come from h2, before 11 us.
        links["eth1"].Promise(10_500_000);
        Assert.All(Sent(topology, bridge).Values, Assert.Empty);

        links["eth1"].Deliver(FrameBetween(topology, "h2", "h1"), 10_600_000, 0, 0, 2, -1, 0, 0, 0);
        links["eth1"].Promise(100_000_000);
        var sent = Sent(topology, bridge);
        Assert.Equal([("h1", "h2")], sent["h2"]);
        // Both learned by then: each frame went to its destination alone.
        Assert.Equal([("h2", "h1")], sent["h1"]);
        Assert.Empty(sent.GetValueOrDefault("h3", []));
    }

    [Fact]
    public void AForwardGoesAheadOnceAnotherPortPromisesNoNewAddress()
    {
        var (topology, bridge, links) = ThreePortBridge();
        // As above, but eth1 brings no frame from an address it has not carried (none yet) before 50 us: h2 cannot be
        // learned before the forward at 11 us, which floods, as 802.1Q does for an unknown destination.
        links["eth1"].Promise(new LinkPromise(links["eth1"].Index, 10_500_000, 10_500_000, 50_000_000));
        var sent = Sent(topology, bridge);
        Assert.Equal([("h1", "h2")], sent["h2"]);
        Assert.Equal([("h1", "h2")], sent["h3"]);
    }

    /// <summary>The bridge of <see cref="ThreePorts"/> alone, with h1's frame to h2 arriving at 10 us and eth0 and eth2 quiet until 100 us.</summary>
    private static (TopologyConfig Topology, ConservativeSynchronizer Bridge, Dictionary<string, InboundLink> Links) ThreePortBridge()
    {
        var topology = Load(ThreePorts);
        var settings = new RunSettings(1, topology.Duration!.Value, SimTime.Zero);
        var bridge = new ConservativeSynchronizer(PartitionBuilder.Build(topology, settings, PartitionLayout.OnePerNode(topology), "s"), settings.Duration);
        Assert.True(bridge.Partition.Scheduler.HasLanes);
        var links = bridge.Partition.InboundLinks.ToDictionary(l => l.Destination.Name);
        links["eth0"].Deliver(FrameBetween(topology, "h1", "h2"), 10_000_000, 0, 0, 1, -1, 0, 0, 0);
        links["eth0"].Promise(100_000_000);
        links["eth2"].Promise(100_000_000);
        return (topology, bridge, links);
    }

    [Fact]
    public void AFrameFromANewAddressBeforeTheNoveltyPromiseIsRefused()
    {
        var topology = Load(Chain);
        var settings = new RunSettings(1, topology.Duration!.Value, SimTime.Zero);
        var link = PartitionBuilder.Build(topology, settings, PartitionLayout.OnePerNode(topology), "s").InboundLinks.First();
        var known = new byte[60];
        known[11] = 0x01;
        link.Deliver(known, 5_000_000, 0, 0, 1, -1, 0, 0, 0);
        link.Promise(new LinkPromise(link.Index, 6_000_000, 6_000_000, 20_000_000));
        link.Deliver(known, 7_000_000, 1, 0, 2, -1, 0, 0, 0);
        var stranger = new byte[60];
        stranger[11] = 0x02;
        var error = Assert.Throws<InvalidOperationException>(() => link.Deliver(stranger, 8_000_000, 2, 0, 3, -1, 0, 0, 0));
        Assert.Contains("new source address", error.Message);
        link.Deliver(stranger, 20_000_000, 3, 0, 4, -1, 0, 0, 0);
        Assert.Contains(0x02UL, link.SourceAddresses);
    }
}
