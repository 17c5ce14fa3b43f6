using TsnSim.Core.Distributed;
using TsnSim.Core.Frames;
using TsnSim.Core.Simulation;
using TsnSim.Core.Telemetry;
using TsnSim.Core.Time;
using TsnSim.Core.Topology;
using TsnSim.Hosting;
using TsnSim.Hosting.Traffic;
using TsnSim.Protos.Traffic;

namespace TsnSim.Tests.Nic;

/// <summary>
/// A host's multi-queue NIC in a run: each flow lands in the queue its published RSS hash
/// names; the host's latency grows by exactly the core's per-packet and per-byte cost; a ring or
/// pool too small for a burst drops what a queue written from the definition drops, and counts
/// it; a table change at a time, from the topology or the traffic API, moves flows then.
/// </summary>
public class NicReceiveTests
{
    private static readonly DataRate Gigabit = DataRate.Parse("1Gbps");
    private const long LinkDelayPs = 1_000_000;

    /// <summary>The five IPv4 flows of the verification suite as TCP streams, 20 µs apart so that no two meet at the core.</summary>
    private static readonly (string Source, string Destination, uint Tcp)[] SuiteFlows =
    [
        ("66.9.149.187:2794", "161.142.100.80:1766", 0x51ccc178),
        ("199.92.111.2:14230", "65.69.140.83:4739", 0xc626b0ea),
        ("24.19.198.95:12898", "12.22.207.184:38024", 0x5c2b394a),
        ("38.27.205.30:48228", "209.142.163.6:2217", 0xafc7327f),
        ("153.39.163.191:44251", "202.188.127.2:1303", 0x10e828a2),
    ];

    private static TopologyConfig Load(string yaml)
    {
        var result = TopologyLoader.Load(System.Text.Encoding.UTF8.GetBytes(yaml), "nic.yaml");
        Assert.True(result.Succeeded, string.Join("; ", result.Diagnostics));
        return result.Topology!;
    }

    private static string TwoHosts(string nic, string streams, string duration = "1ms") => $$"""
        name: nic
        duration: {{duration}}
        nodes:
          c: { kind: host, ports: 1 }
          s:
            kind: host
            ports: 1
            nic: {{nic}}
        links:
          - { endpoints: ["c:eth0", "s:eth0"], rate: 1Gbps, delay: 1us }
        streams:
        {{streams}}
        """;

    private static string SuiteStreams(int count = 10) => string.Join("\n", SuiteFlows.Select((f, i) =>
        $"  - {{ name: f{i}, talker: c, listener: s, period: 100us, size: 128, count: {count}, start: {i * 20}us, flow: {{ proto: tcp, src: \"{f.Source}\", dst: \"{f.Destination}\" }} }}"));

    private static RunReport Run(TopologyConfig topology, Action<Partition>? prepare = null) =>
        SingleProcessRun.Execute(topology, TopologyFile.SettingsFor(topology, null, null), prepare);

    private static NicReport NicOf(RunReport report) => report.Ports.Single(p => p is { Node: "s", Port: "eth0" }).Nic!;

    [Fact]
    public void EachFlowLandsInTheQueueItsPublishedHashNamesAndTheCoreCostIsAddedToItsLatency()
    {
        var report = Run(Load(TwoHosts("{ rx_queues: 4, cores: 4, cost: { per_packet: 3us, per_byte: 2ns } }", SuiteStreams())));
        var nic = NicOf(report);
        for (int q = 0; q < 4; q++)
        {
            var flows = SuiteFlows.Count(f => (f.Tcp & 127) % 4 == q);
            Assert.Equal(10L * flows, nic.RxQueues[q].Frames);
            Assert.Equal(flows, nic.RxQueues[q].Flows);
            Assert.Equal(10L * flows * 128, nic.RxQueues[q].Bytes);
            Assert.Equal(0, nic.RxQueues[q].CoreWaitMaxNs);
        }
        Assert.Equal(50, nic.HashTypes["tcp_ipv4"]);
        Assert.Equal(0, nic.HashTypes["none"]);
        // One wire hop, the link's delay, then 3 µs + 128 × 2 ns on the core: the same for every frame.
        double expectedNs = (Ethernet.TimeToLastBit(128, Gigabit).Picoseconds + LinkDelayPs + 3_000_000 + 128 * 2_000) / 1000.0;
        Assert.All(report.Streams, s => Assert.Equal((expectedNs, expectedNs, 10L), (s.Latency!.Min, s.Latency.Max, s.Received)));
        // Each core's busy time is its packets times the cost, its utilization that over the 1 ms run.
        foreach (var core in nic.Cores)
        {
            Assert.Equal(nic.RxQueues[core.Core].Frames * 3256.0, core.BusyNs);
            Assert.Equal(core.BusyNs / 1_000_000, core.Utilization, 12);
        }
    }

    [Fact]
    public void WithoutANicTheSameRunHasNoCoreCost()
    {
        var yaml = TwoHosts("{ rx_queues: 4 }", SuiteStreams()).Replace("    nic: { rx_queues: 4 }\n", "");
        var report = Run(Load(yaml));
        double expectedNs = (Ethernet.TimeToLastBit(128, Gigabit).Picoseconds + LinkDelayPs) / 1000.0;
        Assert.All(report.Streams, s => Assert.Equal(expectedNs, s.Latency!.Max));
        Assert.Null(report.Ports.Single(p => p.Node == "s").Nic);
    }

    /// <summary>
    /// A queue from the definition: packets arrive every 2 µs and a core serves one in 5 µs, a
    /// packet holds its descriptor (and buffer) until served, and one arriving at the very instant
    /// another is served still finds that one's descriptor in use.
    /// </summary>
    private static (int Dropped, long MaxLatencyPs) ReferenceQueue(int slots, int frames, long arrivalOffsetPs, long periodPs, long servicePs)
    {
        var inService = new Queue<long>();
        long lastDone = 0, maxLatency = 0;
        int dropped = 0;
        for (int i = 0; i < frames; i++)
        {
            long created = i * periodPs, arrival = created + arrivalOffsetPs;
            while (inService.Count > 0 && inService.Peek() < arrival) inService.Dequeue();
            if (inService.Count >= slots) { dropped++; continue; }
            long done = Math.Max(arrival, lastDone) + servicePs;
            lastDone = done;
            inService.Enqueue(done);
            maxLatency = Math.Max(maxLatency, done - created);
        }
        return (dropped, maxLatency);
    }

    [Theory]
    [InlineData("{ ring: 8, cost: { per_packet: 5us } }", 8, 0)]
    [InlineData("{ ring: 256, buffers: { count: 6, size: 2048 }, cost: { per_packet: 5us } }", 6, 1)]
    // A 96-byte frame takes two 64-byte buffers: 9 buffers hold four frames.
    [InlineData("{ ring: 256, buffers: { count: 9, size: 64 }, cost: { per_packet: 5us } }", 4, 2)]
    public void ABurstBeyondTheRingOrThePoolIsDroppedAndCountedAsAQueueFromTheDefinitionSays(string nic, int slots, int buffersPerFrame)
    {
        var stream = "  - { name: burst, talker: c, listener: s, period: 2us, size: 96, count: 100, flow: { proto: udp, src: \"10.0.0.1:5000\", dst: \"10.0.0.2:6000\" } }";
        var report = Run(Load(TwoHosts(nic, stream)));
        var arrivalPs = Ethernet.TimeToLastBit(96, Gigabit).Picoseconds + LinkDelayPs;
        var (dropped, maxLatency) = ReferenceQueue(slots, 100, arrivalPs, 2_000_000, 5_000_000);
        var queue = NicOf(report).RxQueues.Single();
        bool byBuffers = buffersPerFrame > 0;
        Assert.InRange(dropped, 20, 80);
        Assert.Equal(dropped, byBuffers ? queue.BufferDrops : queue.RingDrops);
        Assert.Equal(0, byBuffers ? queue.RingDrops : queue.BufferDrops);
        var burst = report.Streams.Single();
        Assert.Equal(100 - dropped, burst.Received);
        Assert.Equal(dropped, burst.Lost);
        Assert.Equal(maxLatency / 1000.0, burst.Latency!.Max);
        if (byBuffers) Assert.Equal(slots * buffersPerFrame, NicOf(report).BuffersMaxInUse);
        else Assert.Equal(slots, queue.MaxOccupancy);
    }

    /// <summary>Flow 0 (hash 0x51ccc178, queue 0 in the default table) every 100 µs; from 450 µs a one-entry table sends everything to queue 1.</summary>
    private const string OneFlow = "  - { name: f0, talker: c, listener: s, period: 100us, size: 128, count: 10, flow: { proto: tcp, src: \"66.9.149.187:2794\", dst: \"161.142.100.80:1766\" } }";

    [Fact]
    public void ATableChangeInTheTopologyMovesTheFlowAtItsTime()
    {
        var report = Run(Load(TwoHosts("{ rx_queues: 2, rss_changes: [{ at: 450us, table: [1] }] }", OneFlow)));
        var queues = NicOf(report).RxQueues;
        // Frames created at 0, 100 … 400 µs arrive before 450 µs.
        Assert.Equal((5L, 5L), (queues[0].Frames, queues[1].Frames));
    }

    /// <summary>Flow 0's 5-tuple: the rule takes it from queue 0, where its published hash puts it among four queues, to queue 3.</summary>
    private const string FlowZeroToQueue3 = "{ proto: tcp, src: \"66.9.149.187\", dst: \"161.142.100.80\", src_port: 2794, dst_port: 1766, queue: 3 }";

    /// <summary>When frame <paramref name="k"/> of <see cref="OneFlow"/> (created at k × 100 µs) has arrived whole at s.</summary>
    private static long ArrivalPs(int k) => k * 100 * SimTime.PicosecondsPerMicrosecond + Ethernet.TimeToLastBit(128, Gigabit).Picoseconds + LinkDelayPs;

    [Fact]
    public void ARuleChangeInTheTopologySteersTheFlowFromItsTimeAndAnEmptyListGivesItBackToRss()
    {
        Assert.Equal(0u, (SuiteFlows[0].Tcp & 127) % 4);
        var report = Run(Load(TwoHosts($"{{ rx_queues: 4, rule_changes: [{{ at: 450us, rules: [{FlowZeroToQueue3}] }}, {{ at: 750us, rules: [] }}] }}", OneFlow)));
        var queues = NicOf(report).RxQueues;
        // Frames created at 0 … 400 µs arrive before 450 µs, at 500 … 700 µs before 750 µs, at 800 and 900 µs after.
        Assert.Equal((7L, 3L, 3L), (queues[0].Frames, queues[3].Frames, queues[3].Steered));
    }

    [Theory]
    // A frame arriving at the very instant of the change still meets the old rules: at one instant arrivals come first.
    [InlineData(-1, 5)]
    [InlineData(0, 6)]
    public void ARuleTakesTheFramesArrivingAfterItsTimeAndNoneBefore(long offsetPs, int beforeTheRule)
    {
        var report = Run(Load(TwoHosts($"{{ rx_queues: 4, rule_changes: [{{ at: {ArrivalPs(5) + offsetPs}ps, rules: [{FlowZeroToQueue3}] }}] }}", OneFlow)));
        var queues = NicOf(report).RxQueues;
        Assert.Equal(((long)beforeTheRule, 10L - beforeTheRule), (queues[0].Frames, queues[3].Frames));
    }

    private static SetRssRequest Request() => new() { Node = "s", IndirectionTable = { 1 }, When = new When { AtPs = 450 * SimTime.PicosecondsPerMicrosecond } };

    [Fact]
    public void ASetRssCallMovesTheFlowAsTheTopologysChangeDoesInAnyLayoutAndOnReplay()
    {
        var written = Run(Load(TwoHosts("{ rx_queues: 2, rss_changes: [{ at: 450us, table: [1] }] }", OneFlow)));
        var topology = Load(TwoHosts("{ rx_queues: 2 }", OneFlow));
        var recorded = new List<RecordedInjection>();
        void Set(Partition partition)
        {
            var handler = new LiveTrafficHandler(topology, partition);
            if (!handler.Owns("s")) return;
            Assert.Equal(450 * SimTime.PicosecondsPerMicrosecond, handler.SetRss(Request(), 0, topology.Duration!.Value).EffectivePs);
            recorded.AddRange(handler.DrainRecorded());
        }
        var viaApi = Run(topology, Set);
        Assert.Equal(NicOf(written), NicOf(viaApi));
        Assert.Equal((5L, 5L), (NicOf(viaApi).RxQueues[0].Frames, NicOf(viaApi).RxQueues[1].Frames));

        var line = Assert.Single(recorded);
        Assert.Equal(RecordedInjection.RequestOneofCase.SetRss, line.RequestCase);
        var split = InMemoryDistributedRun.Execute(topology, TopologyFile.SettingsFor(topology, null, null), PartitionLayout.OnePerNode(topology), shuffleSeed: 5,
            prepare: p => { var h = new LiveTrafficHandler(topology, p); if (h.Owns("s")) h.Replay(line); });
        Assert.Equal(NicOf(viaApi), NicOf(split));
        Assert.Equal(viaApi.FramesDigest, split.FramesDigest);
        var replayed = Run(topology, p => new LiveTrafficHandler(topology, p).Replay(line));
        Assert.Equal(NicOf(viaApi), NicOf(replayed));
    }

    public static IEnumerable<object[]> BadRequests() => new (string Field, string Expected, Action<SetRssRequest> Change)[]
    {
        ("node", "is a bridge", r => r.Node = "sw"),
        ("node", "has no multi-queue NIC", r => r.Node = "c"),
        ("port", "has no port 'eth5'", r => r.Port = "eth5"),
        ("key", "is 39 bytes", r => r.Key = Google.Protobuf.ByteString.CopyFrom(new byte[39])),
        ("indirection_table", "has 3 entries", r => r.IndirectionTable.Add([0, 1])),
        ("indirection_table[1]", "is queue 2, but s:eth0 has 2 Rx queues", r => r.IndirectionTable.Add(2)),
        ("key", "both empty", r => r.IndirectionTable.Clear()),
        ("when.at_ps", "already simulated", r => r.When = new When { AtPs = 1 }),
    }.Select(c => new object[] { c.Field, c.Expected, c.Change });

    [Theory]
    [MemberData(nameof(BadRequests))]
    public void ABadSetRssNamesItsFieldAndChangesNothing(string field, string expected, Action<SetRssRequest> change)
    {
        var yaml = TwoHosts("{ rx_queues: 2 }", OneFlow).Replace("  c: { kind: host, ports: 1 }", "  c: { kind: host, ports: 1 }\n  sw: { kind: switch, ports: 2 }");
        var topology = Load(yaml);
        var partition = PartitionBuilder.Build(topology, TopologyFile.SettingsFor(topology, null, null));
        var handler = new LiveTrafficHandler(topology, partition);
        var request = Request();
        change(request);
        var refusal = Assert.Throws<InvalidTrafficRequestException>(() => handler.SetRss(request, 5_000_000, topology.Duration!.Value));
        Assert.Equal(field, refusal.Field);
        Assert.Contains(expected, refusal.Message);
        Assert.Empty(handler.DrainRecorded());
        Assert.DoesNotContain(partition.Scheduler.Pending.ToArray(), e => e.Class == Core.Engine.EventClass.RssChange);
    }

    [Fact]
    public void ASteeringRuleSendsItsFlowToItsQueueAheadOfRss()
    {
        var report = Run(Load(TwoHosts("{ rx_queues: 4, rules: [{ name: f0, proto: tcp, dst_port: 1766, queue: 3 }] }", SuiteStreams(4))));
        var queues = NicOf(report).RxQueues;
        // Flow 0 hashes to queue 0 but the rule takes it; the others keep their hash's queue.
        Assert.Equal((4L, 4L), (queues[3].Steered, queues[3].Frames - SuiteFlows.Skip(1).Count(f => (f.Tcp & 127) % 4 == 3) * 4));
        Assert.Equal(0, queues[0].Frames);
        Assert.Equal(4, NicOf(report).HashTypes["none"]);
    }

    [Fact]
    public void CoalescingHalvesTheCoresWorkAndEachSegmentWaitsForItsUnitsFlush()
    {
        // One flow, a 1518-byte segment every 15 µs, a 20 µs flush timer: each unit holds two segments (t and t + 15 µs) and is
        // flushed at t + 20 µs, then served in 5 µs. So the first segment of each pair waits 25 µs after it arrives, the second 10 µs.
        var stream = "  - { name: bulk, talker: c, listener: s, period: 15us, size: 1518, count: 20, flow: { proto: tcp, src: \"10.0.0.1:40000\", dst: \"10.0.0.2:80\" } }";
        var report = Run(Load(TwoHosts("{ rsc: { flush: 20us }, cost: { per_packet: 5us } }", stream)));
        var queue = NicOf(report).RxQueues.Single();
        Assert.Equal((10L, 20L, 0L), (queue.Rsc!.Units, queue.Rsc.Segments, queue.Rsc.DuplicateAcks));
        Assert.Equal((20L, 10L), (queue.Frames, queue.Indications));
        var core = NicOf(report).Cores.Single();
        Assert.Equal((10L, 50_000.0), (core.Packets, core.BusyNs));
        double wireNs = (Ethernet.TimeToLastBit(1518, Gigabit).Picoseconds + LinkDelayPs) / 1000.0;
        var latency = report.Streams.Single().Latency!;
        Assert.Equal((wireNs + 10_000, wireNs + 25_000), (latency.Min, latency.Max));
        Assert.Equal(wireNs + 17_500, latency.Mean, 6);
    }
}
