using System.Diagnostics;
using System.Globalization;
using OpenTelemetry;
using OpenTelemetry.Trace;
using TsnSim.Core.Simulation;
using TsnSim.Core.Topology;
using TsnSim.Core.Tracing;
using TsnSim.Hosting;
using TsnSim.Hosting.Tracing;
using TsnSim.Tests.Support;
using TsnSim.Tests.Topology;

namespace TsnSim.Tests.Tracing;

/// <summary>
/// The spans of traced frames, captured in process with the in-memory exporter, tell the same
/// story as the frame log, hop by hop and to the nanosecond: each span after the talker's starts
/// at the frame's receive timestamp point (the first bit after the SFD: transmit start + 8 bytes
/// of preamble and SFD + propagation delay, IEEE 802.3's timestamp point), each span's transmit
/// start is the frame log's tx_start of the next hop, each arrival its arrival_ps. The chain of
/// parents is the path, and only the frames the topology asks for are traced.
/// </summary>
[Collection(TracingTests.Collection)]
public class FrameSpansMatchFrameLogTests
{
    private static readonly DateTime Epoch = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private sealed record LoggedHop(long FrameId, string Stream, long Sequence, string From, string To, long TransmitStartPs, long ArrivalPs);

    private static (List<Activity> Spans, List<LoggedHop> Log, TopologyConfig Topology) TraceLine()
    {
        var topology = TopologyFile.Load(RepositoryFiles.Topology("line.yaml"), TextWriter.Null);
        var spans = new List<Activity>();
        var logPath = CliProcess.TempFile("", ".csv");
        using (var provider = Sdk.CreateTracerProviderBuilder().AddSource(FrameActivityTracer.SourceName).AddInMemoryExporter(spans).Build())
        using (var log = new FrameLogCsvWriter(logPath, topology))
        {
            var settings = TopologyFile.SettingsFor(topology, null, null) with
            {
                FrameLog = log,
                Tracer = new FrameActivityTracer(topology, FrameTraceSelection.For(topology, null), Epoch),
            };
            SingleProcessRun.Execute(topology, settings);
        }
        var hops = File.ReadLines(logPath).Skip(1).Select(line => line.Split(','))
            .Select(f => new LoggedHop(long.Parse(f[0], CultureInfo.InvariantCulture), f[1], long.Parse(f[2], CultureInfo.InvariantCulture), f[3], f[4],
                long.Parse(f[5], CultureInfo.InvariantCulture), long.Parse(f[6], CultureInfo.InvariantCulture)))
            .ToList();
        return (spans, hops, topology);
    }

    private static long Tag(Activity span, string key) => Convert.ToInt64(span.GetTagItem(key), CultureInfo.InvariantCulture);

    [Fact]
    public void EveryHopOfEveryTracedFrameIsASpanThatAgreesWithTheFrameLog()
    {
        var (spans, log, topology) = TraceLine();
        Assert.NotEmpty(spans);
        var byFrame = spans.GroupBy(s => Tag(s, TraceAttributes.FrameId)).ToDictionary(g => g.Key, g => g.ToList());
        var linkOf = topology.Links.SelectMany(l => new[] { (From: l.A.ToString(), l), (From: l.B.ToString(), l) }).ToDictionary(x => x.From, x => x.l);
        int checkedHops = 0;
        foreach (var (frameId, frameSpans) in byFrame)
        {
            var hops = log.Where(h => h.FrameId == frameId).OrderBy(h => h.ArrivalPs).ToList();
            // line.yaml: h1 - sw1 - sw2 - sw3 - h2, so four links and five nodes.
            Assert.Equal(4, hops.Count);
            Assert.Equal(5, frameSpans.Count);
            Assert.Single(frameSpans.Select(s => s.TraceId).Distinct());
            // Order the spans by their parent chain, not by time: the chain must be the path.
            var chain = new List<Activity> { Assert.Single(frameSpans, s => s.ParentSpanId == default) };
            while (frameSpans.FirstOrDefault(s => s.ParentSpanId == chain[^1].SpanId) is { } child) chain.Add(child);
            Assert.Equal(5, chain.Count);
            Assert.Equal(["h1", "sw1", "sw2", "sw3", "h2"], chain.Select(s => (string)s.GetTagItem(TraceAttributes.Node)!));
            Assert.Equal(["send", "forward", "forward", "forward", "deliver"], chain.Select(s => (string)s.GetTagItem(TraceAttributes.Hop)!));
            for (int k = 0; k < hops.Count; k++)
            {
                var hop = hops[k];
                var (sender, receiver) = (chain[k], chain[k + 1]);
                Assert.Equal(hop.From, sender.GetTagItem(TraceAttributes.EgressPort));
                Assert.Equal(hop.To, receiver.GetTagItem(TraceAttributes.IngressPort));
                Assert.Equal(hop.TransmitStartPs / 1000, Tag(sender, TraceAttributes.TransmitStartNs));
                Assert.Equal(hop.ArrivalPs / 1000, Tag(receiver, TraceAttributes.ArrivalNs));
                var link = linkOf[hop.From];
                long preamblePs = 8 * 8 * 1_000_000_000_000L / link.Rate.BitsPerSecond;
                Assert.Equal((hop.TransmitStartPs + preamblePs) / 1000, Tag(sender, TraceAttributes.TransmitTimestampNs));
                Assert.Equal((hop.TransmitStartPs + preamblePs + link.Delay.Picoseconds) / 1000, Tag(receiver, TraceAttributes.ReceiveTimestampNs));
                Assert.Equal(Tag(receiver, TraceAttributes.ReceiveTimestampNs), Tag(receiver, TraceAttributes.StartNs));
                // The sender's stay ends when the frame's last bit has left: the last bit arrives one propagation delay later.
                Assert.Equal((hop.ArrivalPs - link.Delay.Picoseconds) / 1000, Tag(sender, TraceAttributes.EndNs));
                // Events happen at the same instants, to the 100 ns an Activity holds.
                Assert.Equal(Epoch.AddTicks(hop.TransmitStartPs / 100_000), EventTime(sender, TraceAttributes.TransmissionStartEvent));
                Assert.Equal(Epoch.AddTicks(hop.ArrivalPs / 100_000), EventTime(receiver, TraceAttributes.ReceivedEvent));
                checkedHops++;
            }
            // Span times are the epoch plus virtual time, to the 100 ns an Activity holds.
            foreach (var span in chain)
                Assert.Equal(Epoch.AddTicks(Tag(span, TraceAttributes.StartNs) / 100), span.StartTimeUtc);
            var delivered = chain[^1];
            Assert.Equal(hops[^1].ArrivalPs / 1000, Tag(delivered, TraceAttributes.EndNs));
            Assert.Equal(hops[^1].ArrivalPs / 1000 - Tag(chain[0], TraceAttributes.StartNs), Tag(delivered, TraceAttributes.LatencyNs));
            Assert.Equal(0, Tag(delivered, TraceAttributes.RxQueue));
        }
        Assert.True(checkedHops > 400, $"only {checkedHops} hops checked");
    }

    [Fact]
    public void OnlyTheFramesTheTopologyAsksForAreTraced()
    {
        var (spans, log, topology) = TraceLine();
        // line.yaml: control has trace: true (every frame), bulk trace: 0.1 (one in ten, the first included).
        Assert.Equal(1.0, topology.Streams.Single(s => s.Name == "control").TraceRatio);
        Assert.Equal(0.1, topology.Streams.Single(s => s.Name == "bulk").TraceRatio);
        var traced = spans.Select(s => ((string)s.GetTagItem(TraceAttributes.Stream)!, Tag(s, TraceAttributes.Sequence))).ToHashSet();
        var sent = log.Select(h => (h.Stream, h.Sequence)).ToHashSet();
        var expected = sent.Where(f => f.Stream == "control" || f.Sequence % 10 == 0).ToHashSet();
        Assert.Equal(expected.OrderBy(f => f), traced.OrderBy(f => f));
    }

    private static DateTime EventTime(Activity span, string name) => span.Events.Single(e => e.Name == name).Timestamp.UtcDateTime;
}
