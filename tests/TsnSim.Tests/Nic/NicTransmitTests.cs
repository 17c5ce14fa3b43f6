using TsnSim.Core.Distributed;
using TsnSim.Core.Frames;
using TsnSim.Core.Simulation;
using TsnSim.Core.Telemetry;
using TsnSim.Core.Time;
using TsnSim.Core.Topology;
using TsnSim.Hosting;

namespace TsnSim.Tests.Nic;

/// <summary>
/// A host's multi-queue NIC on the way out: the host stack submits on Tx queues over the ring
/// and the pool, and a queue model written from that definition (a descriptor held from
/// submission until the completion is reclaimed, one core serving completions first come first
/// served, the stack's backlog bounded) predicts every drop, latency and Tx timestamp; the
/// queues of a class take turns and classes keep strict priority, as the published RSS hashes
/// place the flows; the same run in one partition per node gives the same answer.
/// </summary>
public class NicTransmitTests
{
    private static readonly DataRate Gigabit = DataRate.Parse("1Gbps");
    private const long LinkDelayPs = 1_000_000;
    private const int FrameBytes = 1000;

    /// <summary>Two IPv4 flows of the RSS verification suite and their published hashes: (hash &amp; 127) mod 2 is 0 for the first, 1 for the second.</summary>
    private const string FlowToQueue0 = "src: \"66.9.149.187:2794\", dst: \"161.142.100.80:1766\"";
    private const uint FlowToQueue0Hash = 0x51ccc178;
    private const string FlowToQueue1 = "src: \"38.27.205.30:48228\", dst: \"209.142.163.6:2217\"";
    private const uint FlowToQueue1Hash = 0xafc7327f;

    private static TopologyConfig Load(string yaml)
    {
        var result = TopologyLoader.Load(System.Text.Encoding.UTF8.GetBytes(yaml), "nic.yaml");
        Assert.True(result.Succeeded, string.Join("; ", result.Diagnostics));
        return result.Topology!;
    }

    private static string TwoHosts(string nic, string streams, string egress = "") => $$"""
        name: nic-tx
        duration: 2ms
        nodes:
          c:
            kind: host
            ports: { eth0: { {{egress}} } }
            nic: {{nic}}
          s: { kind: host, ports: 1 }
        links:
          - { endpoints: ["c:eth0", "s:eth0"], rate: 1Gbps, delay: 1us }
        streams:
        {{streams}}
        """;

    private static RunReport Run(TopologyConfig topology) => SingleProcessRun.Execute(topology, TopologyFile.SettingsFor(topology, null, null));

    private static NicReport NicOf(RunReport report) => report.Ports.Single(p => p is { Node: "c", Port: "eth0" }).Nic!;

    /// <summary>
    /// The definition, one Tx queue on one core: frame k comes at c_k; it is dropped if the stack
    /// already holds <paramref name="backlog"/> for the queue, else admitted when a descriptor is
    /// free (the one of the frame <paramref name="ring"/> places before it is reclaimed); it
    /// starts when admitted and the wire is free; its completion is posted at its last bit and
    /// reclaimed after the core's earlier work and <paramref name="costPs"/>.
    /// </summary>
    private static (int Dropped, List<long> LatenciesPs, List<long> TxDelaysPs) ReferenceTx(int frames, long periodPs, int ring, int backlog, long costPs)
    {
        long wire = Ethernet.WireTime(FrameBytes, Gigabit).Picoseconds, lastBit = Ethernet.TimeToLastBit(FrameBytes, Gigabit).Picoseconds;
        long preamble = Gigabit.TimeFor(Ethernet.PreambleAndSfdBytes).Picoseconds;
        var admitted = new List<long>();
        var reclaimed = new List<long>();
        var latencies = new List<long>();
        var txDelays = new List<long>();
        long wireFree = 0, coreFree = 0;
        int dropped = 0;
        for (int k = 0; k < frames; k++)
        {
            long created = k * periodPs;
            int waiting = admitted.Count(a => a > created);
            if (waiting >= backlog)
            {
                dropped++;
                continue;
            }
            int m = admitted.Count;
            long admit = m < ring ? created : Math.Max(created, reclaimed[m - ring]);
            long start = Math.Max(admit, wireFree);
            wireFree = start + wire;
            coreFree = Math.Max(start + lastBit, coreFree) + costPs;
            admitted.Add(admit);
            reclaimed.Add(coreFree);
            latencies.Add(start + lastBit + LinkDelayPs - created);
            txDelays.Add(start + preamble - created);
        }
        return (dropped, latencies, txDelays);
    }

    [Theory]
    [InlineData("{ tx_queues: 1, tx_ring: 3, tx_backlog: 4, tx_cost: { per_packet: 20us } }", 3, 4, 20_000_000)]
    [InlineData("{ tx_queues: 1, tx_ring: 2, tx_backlog: 2, tx_cost: { per_packet: 5us } }", 2, 2, 5_000_000)]
    // The pool is the limit: one 2048-byte buffer per frame, three of them, the ring far larger.
    [InlineData("{ tx_queues: 1, tx_ring: 256, buffers: { count: 3, size: 2048 }, tx_backlog: 4, tx_cost: { per_packet: 20us } }", 3, 4, 20_000_000)]
    public void TheRingThePoolAndTheStacksBacklogHoldAndDropWhatAQueueFromTheDefinitionSays(string nic, int slots, int backlog, long costPs)
    {
        const int frames = 40;
        const long periodPs = 3_001_000;
        var topology = Load(TwoHosts(nic, $"  - {{ name: a, talker: c, listener: s, period: 3001ns, size: {FrameBytes}, count: {frames}, tx_timestamps: true, flow: {{ proto: udp, {FlowToQueue0} }} }}"));
        var report = Run(topology);
        var (dropped, latencies, txDelays) = ReferenceTx(frames, periodPs, slots, backlog, costPs);
        Assert.InRange(dropped, 1, frames - 1);

        var stream = report.Streams.Single();
        var tx = NicOf(report).TxQueues.Single();
        Assert.Equal(frames - dropped, stream.Received);
        Assert.Equal(dropped, tx.BacklogDrops);
        Assert.Equal(frames - dropped, tx.Frames);
        Assert.Equal(frames - dropped, tx.Sent);
        Assert.Equal(frames - dropped, tx.Completions);
        Assert.Equal(slots, tx.MaxOccupancy);
        Assert.Equal(backlog, tx.BacklogMax);
        Assert.Equal(latencies.Max() / 1000.0, stream.Latency!.Max);
        Assert.Equal(latencies.Average() / 1000.0, stream.Latency.Mean, 6);
        // The Tx timestamp, which reaches the application with the reclaimed completion, is the wire's SFD time (8 ns granularity).
        Assert.InRange(stream.TxTimestamp!.Max, txDelays.Max() / 1000.0 - 8, txDelays.Max() / 1000.0);
        Assert.InRange(stream.TxTimestamp.Mean, txDelays.Average() / 1000.0 - 8, txDelays.Average() / 1000.0);
        Assert.Equal(dropped, report.Ports.Single(p => p is { Node: "c", Port: "eth0" }).QueueDrops);
    }

    [Fact]
    public void WithoutCompletionCostAFrameWaitsForNothingButTheWire()
    {
        var topology = Load(TwoHosts("{ tx_queues: 1 }", $"  - {{ name: a, talker: c, listener: s, period: 3001ns, size: {FrameBytes}, count: 20, flow: {{ proto: udp, {FlowToQueue0} }} }}"));
        var (_, latencies, _) = ReferenceTx(20, 3_001_000, ring: 256, backlog: 1000, costPs: 0);
        var stream = Run(topology).Streams.Single();
        Assert.Equal(latencies.Max() / 1000.0, stream.Latency!.Max);
        Assert.Equal(latencies.Average() / 1000.0, stream.Latency.Mean, 6);
    }

    [Fact]
    public void EveryCompletionCarriesItsFramesTxTimestampButOnlyAnApplicationThatAskedIsHandedIt()
    {
        const int frames = 20;
        var topology = Load(TwoHosts("{ tx_queues: 1 }", $"  - {{ name: a, talker: c, listener: s, period: 3001ns, size: {FrameBytes}, count: {frames}, flow: {{ proto: udp, {FlowToQueue0} }} }}"));
        Core.Nic.NicTransmitter? nic = null;
        var report = SingleProcessRun.Execute(topology, TopologyFile.SettingsFor(topology, null, null),
            p => nic = p.Nodes.OfType<Core.Nodes.Host>().Single(h => h.Name == "c").NicOf(0)!.Transmitter);
        var (_, _, txDelays) = ReferenceTx(frames, 3_001_000, ring: 256, backlog: 1000, costPs: 0);
        var last = nic!.LastReclaimed!.Value;
        // The last frame (created at 19 periods) had its SFD on the wire when the definition says (timestamps have 8 ns granularity); the stream did not ask for it.
        long created = (frames - 1) * 3_001_000L;
        Assert.InRange(last.TimestampPs - created, txDelays[^1] - 8_000, txDelays[^1]);
        Assert.False(last.ForApplication);
        Assert.Null(report.Streams.Single().TxTimestamp);
    }

    [Fact]
    public void AFrameLargerThanTheWholePoolIsDroppedAndCountedWithoutHoldingUpTheFramesBehindIt()
    {
        // A 1518-byte frame needs three 512-byte buffers and the pool has two; a 500-byte frame needs one.
        var streams = $$"""
              - { name: big, talker: c, listener: s, period: 20us, size: 1518, count: 10, flow: { proto: udp, {{FlowToQueue0}} } }
              - { name: small, talker: c, listener: s, period: 20us, start: 10us, size: 500, count: 10, flow: { proto: udp, {{FlowToQueue1}} } }
            """;
        var report = Run(Load(TwoHosts("{ tx_queues: 1, buffers: { count: 2, size: 512 } }", streams)));
        var tx = NicOf(report).TxQueues.Single();
        Assert.Equal((10L, 10L, 10L, 0L), (tx.BufferDrops, tx.Frames, tx.Sent, tx.Waited));
        Assert.Equal([(0L, 10L), (10L, 0L)], report.Streams.OrderBy(s => s.Name).Select(s => (s.Received, s.Lost)));
    }

    /// <summary>
    /// Class 0 owns Tx queues 0 and 1 (2@0), class 1 queues 2 and 3 (2@2). Two flows of class 0,
    /// whose published hashes pick queues 0 and 1, each send five frames at once; a class-1
    /// frame comes while the first is on the wire. The wire order is then A0 C0 B0 A1 B1 … A4 B4:
    /// strict priority between classes, turns between a class's queues.
    /// </summary>
    [Fact]
    public void AClassesQueuesTakeTurnsAndAHigherClassGoesFirst()
    {
        Assert.Equal((0u, 1u), ((FlowToQueue0Hash & 127) % 2, (FlowToQueue1Hash & 127) % 2));
        string streams = string.Join("\n",
            $"  - {{ name: a, talker: c, listener: s, period: 1ns, size: {FrameBytes}, count: 5, start: 0ns, flow: {{ proto: udp, {FlowToQueue0} }} }}",
            $"  - {{ name: b, talker: c, listener: s, period: 1ns, size: {FrameBytes}, count: 5, start: 100ns, flow: {{ proto: udp, {FlowToQueue1} }} }}",
            $"  - {{ name: c, talker: c, listener: s, period: 1ns, size: {FrameBytes}, count: 1, start: 200ns, priority: 3, flow: {{ proto: udp, {FlowToQueue0} }} }}");
        var topology = Load(TwoHosts("{ tx_queues: 4 }", streams,
            egress: "egress: { num_tc: 2, map: [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], queues: [2@0, 2@2] }"));
        var order = new DeliveryOrder();
        var report = SingleProcessRun.Execute(topology, TopologyFile.SettingsFor(topology, null, null) with { Deliveries = order });
        // Frame by frame, as they reached the listener (one link: the order they left in).
        Assert.Equal(["a0", "c0", "b0", "a1", "b1", "a2", "b2", "a3", "b3", "a4", "b4"], order.Frames);

        long wire = Ethernet.WireTime(FrameBytes, Gigabit).Picoseconds, lastBit = Ethernet.TimeToLastBit(FrameBytes, Gigabit).Picoseconds;
        double LatencyNs(int slot, long createdPs) => (slot * wire + lastBit + LinkDelayPs - createdPs) / 1000.0;
        int[] aSlots = [0, 3, 5, 7, 9], bSlots = [2, 4, 6, 8, 10];
        var a = report.Streams.Single(s => s.Name.EndsWith("a"));
        var b = report.Streams.Single(s => s.Name.EndsWith("b"));
        var c = report.Streams.Single(s => s.Name.EndsWith("c"));
        Assert.Equal(aSlots.Select((slot, k) => LatencyNs(slot, k * 1000L)).Average(), a.Latency!.Mean, 6);
        Assert.Equal(bSlots.Select((slot, k) => LatencyNs(slot, 100_000 + k * 1000L)).Average(), b.Latency!.Mean, 6);
        Assert.Equal(LatencyNs(1, 200_000), c.Latency!.Mean, 6);

        var sent = NicOf(report).TxQueues.Select(q => q.Sent).ToArray();
        Assert.Equal(new long[] { 5, 5, 1, 0 }, sent);
        var classes = report.Ports.Single(p => p is { Node: "c", Port: "eth0" }).Classes!;
        Assert.Equal((10L, 1L), (classes[0].TxFrames, classes[1].TxFrames));
    }

    /// <summary>Each delivered frame as its stream's last letter and its sequence number, in delivery order.</summary>
    private sealed class DeliveryOrder : IDeliveryObserver
    {
        public List<string> Frames { get; } = [];

        public void OnDelivered(Core.Nodes.Host listener, Frame frame, SimTime latency) => Frames.Add($"{"abc"[frame.StreamIndex]}{frame.Sequence}");
    }

    public static IEnumerable<object[]> BadQueueLayouts() => new (string Nic, string Egress, string Field, string Expected)[]
    {
        ("{ tx_queues: 2 }", "egress: { num_tc: 2, map: [0, 1], queues: [1@0, 2@1] }", "nodes.c.nic.tx_queues", "use Tx queues 0 … 2 (queues count@offset), but the NIC has 2"),
        ("{ tx_queues: 4 }", "egress: { num_tc: 2, map: [0, 1], queues: [2@0, 1@1] }", "nodes.c.ports.eth0.egress", "traffic classes 0 and 1 the same Tx queue (2@0 and 1@1)"),
        ("{ tx_queues: 4 }", "egress: { taprio: \"num_tc 2 map 0 1 queues 0@0 1@1\" }", "nodes.c.ports.eth0.egress.taprio", "gives traffic class 0 0@0; expected at least one Tx queue"),
        ("{ tx_queues: 4 }", "egress: { num_tc: 1, queues: [2@15] }", "nodes.c.ports.eth0.egress", "all of them below 16"),
    }.Select(c => new object[] { c.Nic, c.Egress, c.Field, c.Expected });

    [Theory]
    [MemberData(nameof(BadQueueLayouts))]
    public void AQueueLayoutTheNicCannotHoldIsRefusedWithItsPlace(string nic, string egress, string field, string expected)
    {
        var result = TopologyLoader.Load(System.Text.Encoding.UTF8.GetBytes(TwoHosts(nic, "  - { name: a, talker: c, listener: s, period: 10us, size: 100 }", egress)), "nic.yaml");
        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Equal(field, error.Field);
        Assert.Contains(expected, error.Message);
        Assert.True(error.Line > 0);
    }

    [Theory]
    // Rings are the limit; completions cost more than a frame's wire time.
    [InlineData("{ tx_queues: 2, tx_ring: 4, tx_backlog: 8, cores: 2, tx_cost: { per_packet: 4us, per_byte: 1ns } }")]
    // The pool is the limit, shared with the Rx side, whose packets hold buffers for their core's 30 us: freed Rx buffers release Tx frames.
    [InlineData("{ tx_queues: 2, buffers: { count: 5, size: 2048 }, tx_backlog: 8, cost: { per_packet: 30us }, tx_cost: { per_packet: 1us } }")]
    public void BackpressureAndTurnsGiveTheSameAnswerOnePartitionPerNode(string nic)
    {
        string streams = string.Join("\n",
            $"  - {{ name: a, talker: c, listener: s, period: 2us, size: {FrameBytes}, count: 200, flow: {{ proto: udp, {FlowToQueue0} }} }}",
            $"  - {{ name: b, talker: c, listener: s, period: 3us, size: {FrameBytes}, count: 200, start: 500ns, flow: {{ proto: udp, {FlowToQueue1} }} }}",
            "  - { name: back, talker: s, listener: c, period: 7us, size: 200, count: 100 }");
        var topology = Load(TwoHosts(nic, streams));
        var single = Run(topology);
        var split = InMemoryDistributedRun.Execute(topology, TopologyFile.SettingsFor(topology, null, null), PartitionLayout.OnePerNode(topology), shuffleSeed: 3);
        Assert.True(NicOf(single).TxQueues.Sum(q => q.BacklogDrops) > 0);
        Assert.True(NicOf(single).TxQueues.All(q => q.Waited > 0));
        Assert.Equal(NicOf(single), NicOf(split));
        Assert.Equal(single.FramesDigest, split.FramesDigest);
    }

    /// <summary>
    /// gPTP across a bridge from a NIC host whose Tx completions cost more than a frame's wire
    /// time: its peer-delay requests wait in the host stack behind data while the port is idle.
    /// One partition per node must still run to the end, and to the same frames.
    /// </summary>
    [Fact]
    public void PeerDelayRequestsHeldByTheNicDoNotStallADistributedRun()
    {
        var topology = Load("""
            name: nic-ptp
            duration: 30ms
            ptp: { profile: gptp }
            nodes:
              c:
                kind: host
                ports: 1
                nic: { tx_queues: 1, tx_ring: 2, tx_backlog: 2000, tx_cost: { per_packet: 40us } }
              sw: { kind: switch, ports: 2 }
              s: { kind: host, ports: 1 }
            links:
              - { endpoints: ["c:eth0", "sw:eth0"], rate: 1Gbps }
              - { endpoints: ["sw:eth1", "s:eth0"], rate: 1Gbps }
            streams:
              - { name: a, talker: c, listener: s, period: 20us, size: 1000 }
            """);
        var single = Run(topology);
        var split = InMemoryDistributedRun.Execute(topology, TopologyFile.SettingsFor(topology, null, null), PartitionLayout.OnePerNode(topology), shuffleSeed: 9);
        Assert.True(NicOf(single).TxQueues[0].Waited > 0);
        Assert.Equal(single.FramesDigest, split.FramesDigest);
        Assert.Equal(single.Streams.Single().Received, split.Streams.Single().Received);
    }
}
