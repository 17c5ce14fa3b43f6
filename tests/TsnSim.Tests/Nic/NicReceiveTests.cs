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
/// it; a table change or a new list of steering rules at a time, from the topology or the
/// traffic API, moves flows then.
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

    [Fact]
    public void AFrameLargerThanTheWholePoolIsDroppedAndCountedAndTheFramesAfterItStillFit()
    {
        // A 1518-byte frame needs three 512-byte buffers and the pool has two; a 500-byte frame needs one.
        var streams = string.Join("\n",
            "  - { name: big, talker: c, listener: s, period: 20us, size: 1518, count: 10, flow: { proto: udp, src: \"10.0.0.1:5000\", dst: \"10.0.0.2:6000\" } }",
            "  - { name: small, talker: c, listener: s, period: 20us, start: 10us, size: 500, count: 10, flow: { proto: udp, src: \"10.0.0.1:5001\", dst: \"10.0.0.2:6000\" } }");
        var report = Run(Load(TwoHosts("{ buffers: { count: 2, size: 512 } }", streams)));
        var queue = NicOf(report).RxQueues.Single();
        Assert.Equal((10L, 0L, 10L), (queue.BufferDrops, queue.RingDrops, queue.Frames));
        Assert.Equal([(0L, 10L), (10L, 0L)], report.Streams.OrderBy(s => s.Name).Select(s => (s.Received, s.Lost)));
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
        var request = Request();
        change(request);
        AssertRefused("{ rx_queues: 2 }", field, expected, (handler, now, end) => handler.SetRss(request, now, end));
    }

    /// <summary>
    /// A call to s's NIC (beside host c, which has none, and bridge sw), made at 5 µs, is refused
    /// naming <paramref name="field"/>, and neither recorded nor scheduled.
    /// </summary>
    private static void AssertRefused(string nic, string field, string expected, Action<LiveTrafficHandler, long, SimTime> call)
    {
        var yaml = TwoHosts(nic, OneFlow).Replace("  c: { kind: host, ports: 1 }", "  c: { kind: host, ports: 1 }\n  sw: { kind: switch, ports: 2 }");
        var topology = Load(yaml);
        var partition = PartitionBuilder.Build(topology, TopologyFile.SettingsFor(topology, null, null));
        var handler = new LiveTrafficHandler(topology, partition);
        var refusal = Assert.Throws<InvalidTrafficRequestException>(() => call(handler, 5 * SimTime.PicosecondsPerMicrosecond, topology.Duration!.Value));
        Assert.Equal(field, refusal.Field);
        Assert.Contains(expected, refusal.Message);
        Assert.Empty(handler.DrainRecorded());
        Assert.DoesNotContain(partition.Scheduler.Pending.ToArray(), e => e.Class == Core.Engine.EventClass.RssChange);
    }

    /// <summary><see cref="FlowZeroToQueue3"/> as the traffic API gives it.</summary>
    private static RxRule FlowZeroRule() => new() { Proto = "tcp", Src = "66.9.149.187", Dst = "161.142.100.80", SrcPort = 2794, DstPort = 1766, Queue = 3 };

    private static SetRxRulesRequest RulesAt(long atUs, params RxRule[] rules) =>
        new() { Node = "s", Rules = { rules }, When = new When { AtPs = atUs * SimTime.PicosecondsPerMicrosecond } };

    [Fact]
    public void SetRxRulesCallsSteerTheFlowAsTheTopologysChangesDoInAnyLayoutAndOnReplayFromTheLog()
    {
        var written = Run(Load(TwoHosts($"{{ rx_queues: 4, rule_changes: [{{ at: 450us, rules: [{FlowZeroToQueue3}] }}, {{ at: 750us, rules: [] }}] }}", OneFlow)));
        var topology = Load(TwoHosts("{ rx_queues: 4 }", OneFlow));
        var recorded = new List<RecordedInjection>();
        void Set(Partition partition)
        {
            var handler = new LiveTrafficHandler(topology, partition);
            if (!handler.Owns("s")) return;
            Assert.Equal(450 * SimTime.PicosecondsPerMicrosecond, handler.SetRxRules(RulesAt(450, FlowZeroRule()), 0, topology.Duration!.Value).EffectivePs);
            Assert.Equal(750 * SimTime.PicosecondsPerMicrosecond, handler.SetRxRules(RulesAt(750), 0, topology.Duration!.Value).EffectivePs);
            recorded.AddRange(handler.DrainRecorded());
        }
        var viaApi = Run(topology, Set);
        Assert.Equal(NicOf(written), NicOf(viaApi));
        var queues = NicOf(viaApi).RxQueues;
        // Frames created at 0 … 400 µs arrive before the rule, at 500 … 700 µs under it, at 800 and 900 µs after it is cleared.
        Assert.Equal((7L, 3L, 3L), (queues[0].Frames, queues[3].Frames, queues[3].Steered));

        Assert.Equal([450L, 750L], recorded.Select(r => r.AtPs / SimTime.PicosecondsPerMicrosecond));
        Assert.All(recorded, r => Assert.Equal(RecordedInjection.RequestOneofCase.SetRxRules, r.RequestCase));
        var path = Path.GetTempFileName();
        try
        {
            using (var writer = new InjectionLogWriter(path, new RecordedRun { DurationPs = topology.Duration!.Value.Picoseconds })) writer.Append(recorded);
            var lines = InjectionLog.Read(path).Injections.Select(i => i.Injection).ToList();
            Assert.Equal(recorded, lines);
            void Replay(Partition p) { var h = new LiveTrafficHandler(topology, p); if (h.Owns("s")) lines.ForEach(h.Replay); }
            var split = InMemoryDistributedRun.Execute(topology, TopologyFile.SettingsFor(topology, null, null), PartitionLayout.OnePerNode(topology), shuffleSeed: 5, prepare: Replay);
            Assert.Equal(NicOf(viaApi), NicOf(split));
            Assert.Equal(viaApi.FramesDigest, split.FramesDigest);
            Assert.Equal(NicOf(viaApi), NicOf(Run(topology, Replay)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AClientsChangeAtTheInstantOfOneOfTheTopologysComesAfterItLiveAndOnReplay()
    {
        // The topology steers flow 0 to queue 3 from 450 µs; a client clears the rules at that same instant. Changes at one
        // instant apply in acceptance order, and the topology's are accepted first: the client's clear is what stays.
        var topology = Load(TwoHosts($"{{ rx_queues: 4, rule_changes: [{{ at: 450us, rules: [{FlowZeroToQueue3}] }}] }}", OneFlow));
        var recorded = new List<RecordedInjection>();
        void Clear(Partition partition)
        {
            var handler = new LiveTrafficHandler(topology, partition);
            if (!handler.Owns("s")) return;
            handler.SetRxRules(RulesAt(450), 0, topology.Duration!.Value);
            recorded.AddRange(handler.DrainRecorded());
        }
        var live = Run(topology, Clear);
        // Flow 0's published hash sends it to queue 0, and no rule is in force after 450 µs.
        Assert.Equal((10L, 0L), (NicOf(live).RxQueues[0].Frames, NicOf(live).RxQueues[3].Frames));
        void Replay(Partition p) { var h = new LiveTrafficHandler(topology, p); if (h.Owns("s")) recorded.ForEach(h.Replay); }
        Assert.Equal(NicOf(live), NicOf(Run(topology, Replay)));
        var split = InMemoryDistributedRun.Execute(topology, TopologyFile.SettingsFor(topology, null, null), PartitionLayout.OnePerNode(topology), shuffleSeed: 3, prepare: Replay);
        Assert.Equal(NicOf(live), NicOf(split));
    }

    /// <summary>Each field of a rule, set to flow 0's own value (tagged VLAN 10, PCP 5) or to another: only a match takes it from its RSS queue (0) to the rule's (3).</summary>
    public static IEnumerable<object[]> RuleFields() => new (string Field, Action<RxRule> Set, bool Matches)[]
    {
        ("ethertype IPv4", r => r.Ethertype = 0x0800, true),
        ("ethertype IPv6", r => r.Ethertype = 0x86DD, false),
        ("vlan 10", r => r.Vlan = 10, true),
        ("vlan 11", r => r.Vlan = 11, false),
        ("pcp 5", r => r.Pcp = 5, true),
        ("pcp 4", r => r.Pcp = 4, false),
        ("proto tcp", r => r.Proto = "tcp", true),
        ("proto 6", r => r.Proto = "6", true),
        ("proto udp", r => r.Proto = "udp", false),
        ("src", r => r.Src = "66.9.149.187", true),
        ("src other", r => r.Src = "66.9.149.188", false),
        ("dst", r => r.Dst = "161.142.100.80", true),
        ("dst IPv6", r => r.Dst = "::ffff:161.142.100.80", false),
        ("src_port", r => r.SrcPort = 2794, true),
        ("src_port other", r => r.SrcPort = 2795, false),
        ("dst_port", r => r.DstPort = 1766, true),
        ("dst_port other", r => r.DstPort = 1767, false),
    }.Select(c => new object[] { c.Field, c.Set, c.Matches });

    [Theory]
    [MemberData(nameof(RuleFields))]
    public void ARuleFromTheApiTakesTheFlowOnlyWhenTheFieldItGivesMatches(string field, Action<RxRule> set, bool matches)
    {
        _ = field;
        var topology = Load(TwoHosts("{ rx_queues: 4 }", OneFlow.Replace("size: 128,", "size: 128, vlan: 10, pcp: 5,")));
        var rule = new RxRule { Queue = 3 };
        set(rule);
        var report = Run(topology, p => new LiveTrafficHandler(topology, p).SetRxRules(new SetRxRulesRequest { Node = "s", Rules = { rule } }, 0, topology.Duration!.Value));
        var queues = NicOf(report).RxQueues;
        Assert.Equal(matches ? (0L, 10L, 10L) : (10L, 0L, 0L), (queues[0].Frames, queues[3].Frames, queues[3].Steered));
    }

    public static IEnumerable<object[]> BadRuleRequests() => new (string Field, string Expected, Action<SetRxRulesRequest> Change)[]
    {
        ("node", "'x' is not in the topology", r => r.Node = "x"),
        ("node", "is a bridge", r => r.Node = "sw"),
        ("node", "host 'c' has no multi-queue NIC", r => r.Node = "c"),
        ("port", "has no port 'eth5'", r => r.Port = "eth5"),
        ("rules[0].queue", "4 is out of range; expected an Rx queue of the 4, an integer from 0 to 3", r => r.Rules[0].Queue = 4),
        ("rules[1].src", "'10.0.0' is not an IP address", r => r.Rules.Add(new RxRule { Src = "10.0.0", Queue = 1 })),
        ("rules[0].dst", "'161.142.100.80:1766' has a port; expected an IP address alone, such as 10.0.0.1 or fe80::1 (the port goes in dst_port)", r => r.Rules[0].Dst = "161.142.100.80:1766"),
        ("rules[0].proto", "'sctpx' is not a protocol; expected tcp, udp or an IP protocol number from 0 to 255", r => r.Rules[0].Proto = "sctpx"),
        ("rules[0].ethertype", "'65536' is not an EtherType; expected a 16-bit value", r => r.Rules[0].Ethertype = 65536),
        ("rules[0].vlan", "4095 is out of range; expected a VLAN ID, an integer from 0 to 4094", r => r.Rules[0].Vlan = 4095),
        ("rules[0].pcp", "8 is out of range; expected a priority code point, an integer from 0 to 7", r => r.Rules[0].Pcp = 8),
        ("rules[0].src_port", "65536 is out of range; expected a port, an integer from 0 to 65535", r => r.Rules[0].SrcPort = 65536),
        ("rules[0].dst_port", "70000 is out of range; expected a port, an integer from 0 to 65535", r => r.Rules[0].DstPort = 70000),
        ("rules[0].queue", "missing required field 'queue'", r => r.Rules[0].ClearQueue()),
        ("rules", "holds 257 rules; at most 256 per call", r => r.Rules.Add(Enumerable.Range(0, 256).Select(_ => new RxRule { Queue = 1 }))),
        ("when.at_ps", "already simulated", r => r.When = new When { AtPs = 1 }),
        ("when", "at or past the run's end", r => r.When = new When { AtPs = SimTime.PicosecondsPerMillisecond }),
    }.Select(c => new object[] { c.Field, c.Expected, c.Change });

    [Theory]
    [MemberData(nameof(BadRuleRequests))]
    public void ABadSetRxRulesNamesItsFieldAndChangesNothing(string field, string expected, Action<SetRxRulesRequest> change)
    {
        var request = RulesAt(450, FlowZeroRule());
        change(request);
        AssertRefused("{ rx_queues: 4 }", field, expected, (handler, now, end) => handler.SetRxRules(request, now, end));
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
