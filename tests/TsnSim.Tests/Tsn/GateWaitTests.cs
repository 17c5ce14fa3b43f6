using TsnSim.Core.Frames;
using TsnSim.Core.Nodes;
using TsnSim.Core.Simulation;
using TsnSim.Core.Telemetry;
using TsnSim.Core.Time;
using TsnSim.Core.Topology;
using TsnSim.Core.Tracing;
using TsnSim.Hosting;

namespace TsnSim.Tests.Tsn;

/// <summary>
/// Gate waits — how long a frame's gate was closed while it waited at the head of its class —
/// against the schedule's arithmetic, in the frame log, the report's per-class counters and the
/// frames' trace spans.
/// </summary>
public class GateWaitTests
{
    private static readonly DataRate Gigabit = DataRate.Parse("1Gbps");

    /// <summary>
    /// The control frame (class 1) is handed over at the start of each 500 µs cycle; its window
    /// opens 3 µs later for 5 µs. Bulk (class 0) is offered more than the link carries, so it
    /// always has a frame waiting, and its gate is shut only during that window.
    /// </summary>
    private const string Yaml = """
        name: gate-wait
        duration: 10ms
        defaults: { link: { rate: 1Gbps, delay: 100ns } }
        nodes:
          h1:
            kind: host
            queue: 50
            ports: { eth0: { egress: { taprio: "num_tc 2 map 0 0 0 0 0 0 1 0 0 0 0 0 0 0 0 0 queues 1@0 1@1 base-time 0 sched-entry S 01 3000 sched-entry S 02 5000 sched-entry S 01 492000" } } }
          h2: { kind: host, ports: 1 }
        links:
          - { endpoints: ["h1:eth0", "h2:eth0"] }
        streams:
          - { name: control, talker: h1, listeners: [h2], period: 500us, size: 128, vlan: 10, pcp: 6, trace: true }
          - { name: bulk, talker: h1, listeners: [h2], rate: 1200Mbps, size: 1500, vlan: 10, pcp: 0 }
        """;

    private sealed class Hops : IFrameLogSink
    {
        public List<HopRecord> Records { get; } = [];
        public void OnHop(string node, in HopRecord hop) => Records.Add(hop);
    }

    private sealed class Spans : IFrameTracer
    {
        public List<HopSpan> Sent { get; } = [];
        public FrameTrace? Begin(Host talker, Frame frame) => frame.StreamIndex == 0 ? new FrameTrace("control", frame.CreatedAt) : null;
        public void OnHop(in HopSpan hop, FrameTrace trace)
        {
            if (hop.Kind == HopKind.Send) Sent.Add(hop);
        }
    }

    private static (RunReport Report, Hops Hops, Spans Spans) Run()
    {
        var result = TopologyLoader.Load(Yaml, "gate-wait.yaml");
        Assert.True(result.Succeeded, string.Join("; ", result.Diagnostics));
        var topology = result.Topology!;
        var hops = new Hops();
        var spans = new Spans();
        var report = SingleProcessRun.Execute(topology, TopologyFile.SettingsFor(topology, null, null) with { FrameLog = hops, Tracer = spans });
        return (report, hops, spans);
    }

    [Fact]
    public void AFrameReadyBeforeItsWindowWaitsForItToOpenAndTheLogSaysHowLong()
    {
        var (report, hops, _) = Run();
        var control = hops.Records.Where(h => h.StreamIndex == 0).ToList();
        Assert.Equal(20, control.Count);
        // Ready at each cycle's start, sent 3 µs later: a 3 µs gate wait, and 3 µs on top of the empty-link latency.
        Assert.All(control, h => Assert.Equal(3_000_000, h.GateWaitPs));
        Assert.All(control, h => Assert.Equal(h.Sequence * 500_000_000 + 3_000_000, h.TransmitStartPs));
        var latency = report.Streams.Single(s => s.Name == "control").Latency!;
        double expectedNs = (3_000_000 + Ethernet.TimeToLastBit(128, Gigabit).Picoseconds + 100_000) / 1000.0;
        Assert.Equal(expectedNs, latency.Min, 3);
        Assert.Equal(expectedNs, latency.Max, 3);
    }

    [Fact]
    public void TheReportSumsEachClasssGateWaitsOverItsFrames()
    {
        var (report, hops, _) = Run();
        var classes = report.Ports.Single(p => p is { Node: "h1", Port: "eth0" }).Classes!;
        Assert.Equal(2, classes.Count);
        Assert.Equal(20, classes[1].TxFrames);
        Assert.Equal(20 * 3000.0, classes[1].GateWaitTotalNs);
        Assert.Equal(3000.0, classes[1].GateWaitMaxNs);
        // Bulk has a frame at the head of its class until its queue runs dry after the run's end (drain), so it
        // waits out every 5 µs window that closes its gate before its last frame starts.
        var bulk = hops.Records.Where(h => h.StreamIndex == 1).ToList();
        long lastStart = bulk.Max(h => h.TransmitStartPs);
        long windows = Enumerable.Range(0, 1000).Count(k => k * 500_000_000L + 8_000_000 <= lastStart);
        Assert.True(windows > 20, $"{windows} windows: the queue drained early");
        Assert.Equal(windows * 5000.0, classes[0].GateWaitTotalNs);
        Assert.Equal(5000.0, classes[0].GateWaitMaxNs);
        // The log agrees with the counters frame by frame.
        Assert.Equal(classes[0].TxFrames, bulk.Count);
        Assert.Equal(classes[0].GateWaitTotalNs, bulk.Sum(h => h.GateWaitPs) / 1000.0);
        Assert.True(classes[0].QueueDrops > 0, "bulk is offered more than the link carries");
        Assert.Equal(report.Ports.Single(p => p is { Node: "h1", Port: "eth0" }).QueueDrops, classes.Sum(c => c.QueueDrops));
    }

    [Fact]
    public void EachTracedFramesSendSpanCarriesItsClassAndGateWait()
    {
        var (_, hops, spans) = Run();
        Assert.Equal(20, spans.Sent.Count);
        var logged = hops.Records.Where(h => h.StreamIndex == 0).ToDictionary(h => h.Sequence);
        Assert.All(spans.Sent, span =>
        {
            Assert.Equal(1, span.TrafficClass);
            Assert.Equal(1, span.TxQueue);
            Assert.Equal(logged[span.Frame.Sequence].GateWaitPs, span.GateWait.Picoseconds);
        });
    }
}
