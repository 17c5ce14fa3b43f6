using TsnSim.Core.Frames;
using TsnSim.Core.Simulation;
using TsnSim.Core.Telemetry;
using TsnSim.Core.Time;
using TsnSim.Core.Topology;
using TsnSim.Hosting;
using TsnSim.Hosting.Traffic;
using TsnSim.Protos.Traffic;

namespace TsnSim.Tests.Traffic;

/// <summary>
/// Applications: a socket priority that picks the traffic class on a congested port, so the
/// higher one keeps its rate and its latency stays within one lower frame of the empty link
/// while the lower one gets what is left; a token bucket that holds an application to its rate
/// within 1 %, delaying or, policing, dropping; and both changed while running through the
/// traffic API, recorded and replayed.
/// </summary>
public class ApplicationTests
{
    private static readonly DataRate Gigabit = DataRate.Parse("1Gbps");

    private static TopologyConfig Load(string streams, string egress = "", string duration = "20ms")
    {
        var yaml = $$"""
            name: apps
            duration: {{duration}}
            nodes:
              h1: { kind: host, ports: { eth0: { queue: 50{{egress}} } } }
              h2: { kind: host, ports: 1 }
            links:
              - { endpoints: ["h1:eth0", "h2:eth0"], rate: 1Gbps, delay: 1us }
            streams:
            {{streams}}
            """;
        var result = TopologyLoader.Load(System.Text.Encoding.UTF8.GetBytes(yaml), "apps.yaml");
        Assert.True(result.Succeeded, string.Join("; ", result.Diagnostics));
        return result.Topology!;
    }

    private static RunReport Run(TopologyConfig topology, Action<Partition>? prepare = null) =>
        SingleProcessRun.Execute(topology, TopologyFile.SettingsFor(topology, null, null), prepare);

    /// <summary>Received rate on the wire (each frame's size plus 20 bytes of preamble and gap) over the run.</summary>
    private static double WireRateBps(StreamReport stream, int size, double seconds) => stream.Received * (size + 20) * 8.0 / seconds;

    /// <summary>Frames of 1500 bytes (1520 on the wire) a rate carries in the 20 ms run.</summary>
    private static long Frames(double rateBps) => (long)(rateBps * 0.02 / (1520 * 8));

    private const string TwoClasses = ", egress: { num_tc: 2, map: [0, 0, 0, 0, 0, 1, 1, 1] }";

    private const string TwoApplications = """
          - { name: video, talker: h1, listener: h2, rate: 600Mbps, size: 1500, priority: 5 }
          - { name: bulk, talker: h1, listener: h2, rate: 600Mbps, size: 1500, start: 3us, priority: 1 }
        """;

    [Fact]
    public void OnACongestedPortTheHigherPriorityKeepsItsRateAndLatencyAndTheLowerGetsTheRest()
    {
        var report = Run(Load(TwoApplications, TwoClasses));
        var video = report.Streams.Single(s => s.Name == "video");
        var bulk = report.Streams.Single(s => s.Name == "bulk");
        Assert.Equal(0, video.Lost);
        Assert.InRange(WireRateBps(video, 1500, 0.02), 0.99 * 600e6, 1.01 * 600e6);
        // Strict priority: a video frame waits at most for one bulk frame already on the wire.
        double emptyNs = (Ethernet.TimeToLastBit(1500, Gigabit).Picoseconds + 1_000_000) / 1000.0;
        Assert.InRange(video.Latency!.Max, emptyNs, emptyNs + Ethernet.WireTime(1500, Gigabit).Picoseconds / 1000.0);
        // Bulk gets what the link has left: 1 Gb/s less video's 600 Mb/s, its excess dropped at the full queue; the
        // run's drain then delivers the 50 frames its queue still holds.
        Assert.True(bulk.Lost > 0);
        Assert.InRange(bulk.Received, Frames(0.99 * 400e6), Frames(1.01 * 400e6) + 50);
        Assert.True(bulk.Latency!.Mean > 10 * video.Latency.Mean);

        // Without priorities the two share one FIFO: video waits behind the full queue, 50 frames of 12.16 µs.
        var plain = Run(Load(TwoApplications.Replace(", priority: 5", "").Replace(", priority: 1", ""), TwoClasses));
        Assert.True(plain.Streams.Single(s => s.Name == "video").Latency!.P99 > 49 * Ethernet.WireTime(1500, Gigabit).Picoseconds / 1000.0);
    }

    [Theory]
    [InlineData("delay")]
    [InlineData("drop")]
    public void AShapedApplicationSendsAtItsRateWithinOnePercent(string policy)
    {
        // 400 frames offered at 500 Mb/s to a 200 Mb/s bucket of two frames. The rate: frames after the first, on the wire,
        // over the time from the first arrival to the last (the run's drain delivers what the bucket still held at its end).
        var report = Run(Load($$"""
              - { name: app, talker: h1, listener: h2, rate: 500Mbps, size: 1500, count: 400, shaper: { rate: 200Mbps, burst: 3040, policy: {{policy}} } }
            """));
        var app = report.Streams.Single();
        if (policy == "drop")
        {
            Assert.InRange(WireRateBps(app, 1500, 400 * 24.32e-6), 0.99 * 200e6, 1.01 * 200e6);
            Assert.Equal(app.Sent - app.Received, app.Lost);
            return;
        }
        Assert.Equal(400, app.Received);
        double lastArrivalNs = 399 * 24_320 + app.Latency!.Max, firstArrivalNs = app.Latency.Min;
        Assert.InRange(399 * 1520 * 8 / ((lastArrivalNs - firstArrivalNs) * 1e-9), 0.99 * 200e6, 1.01 * 200e6);
        Assert.Equal(0, report.Ports.Single(p => p.Node == "h1").QueueDrops);
    }

    [Fact]
    public void ABucketLetsItsBurstThroughAtOnceThenHoldsTheRate()
    {
        // 10 frames handed over at once (period 1 ns is not possible; 10 ns apart), a bucket of 3 frames at 100 Mb/s:
        // three go at line rate, then one every 1520 × 8 / 100 Mb/s = 121.6 µs.
        var report = Run(Load("""
              - { name: app, talker: h1, listener: h2, period: 10ns, count: 10, size: 1500, shaper: { rate: 100Mbps, burst: 4560 } }
            """, duration: "2ms"));
        var app = report.Streams.Single();
        Assert.Equal(10, app.Received);
        // The last frame: handed over at 90 ns, it leaves when the bucket refills for it, 7 × 121.6 µs after the start.
        double lastNs = 7 * 121_600 + (Ethernet.TimeToLastBit(1500, Gigabit).Picoseconds + 1_000_000) / 1000.0 - 90;
        Assert.Equal(lastNs, app.Latency!.Max, 3);
        double firstNs = (Ethernet.TimeToLastBit(1500, Gigabit).Picoseconds + 1_000_000) / 1000.0;
        Assert.Equal(firstNs, app.Latency.Min, 3);
    }

    [Fact]
    public void SetApplicationPriorityTurnsTheTablesAtItsTimeAndReplaysTheSame()
    {
        var topology = Load(TwoApplications, TwoClasses);
        var recorded = new List<RecordedInjection>();
        void Swap(Partition partition)
        {
            var handler = new LiveTrafficHandler(topology, partition);
            handler.SetApplicationPriority(new SetApplicationPriorityRequest { Node = "h1", Application = "video", Priority = 1, When = new When { AtPs = 10 * SimTime.PicosecondsPerMillisecond } }, 0, topology.Duration!.Value);
            handler.SetApplicationPriority(new SetApplicationPriorityRequest { Node = "h1", Application = "bulk", Priority = 5, When = new When { AtPs = 10 * SimTime.PicosecondsPerMillisecond } }, 0, topology.Duration!.Value);
            recorded.AddRange(handler.DrainRecorded());
        }
        var swapped = Run(topology, Swap);
        var video = swapped.Streams.Single(s => s.Name == "video");
        var bulk = swapped.Streams.Single(s => s.Name == "bulk");
        // Each had the upper hand for half the run: both lose about what bulk alone lost before, half as much each.
        Assert.True(video.Lost > 0 && bulk.Lost > 0);
        // Each gets 600 Mb/s for one half and 400 Mb/s for the other: 500 Mb/s over the run (bulk, last, also drains its queue).
        Assert.InRange(video.Received, Frames(0.98 * 500e6), Frames(1.02 * 500e6) + 50);
        Assert.InRange(bulk.Received, Frames(0.98 * 500e6), Frames(1.02 * 500e6) + 50);

        Assert.Equal(2, recorded.Count);
        var replayed = Run(topology, p => { var h = new LiveTrafficHandler(topology, p); foreach (var line in recorded) h.Replay(line); });
        Assert.Equal(swapped.FramesDigest, replayed.FramesDigest);
    }

    public static IEnumerable<object[]> BadRequests() => new (string Field, string Expected, Action<SetApplicationPriorityRequest> Change)[]
    {
        ("node", "not in the topology", r => r.Node = "h9"),
        ("application", "'radio' is not an application of host 'h1'; expected one of", r => r.Application = "radio"),
        ("priority", "expected a socket priority from 0 to 15", r => r.Priority = 16),
        ("when.at_ps", "already simulated", r => r.When = new When { AtPs = 1 }),
    }.Select(c => new object[] { c.Field, c.Expected, c.Change });

    [Theory]
    [MemberData(nameof(BadRequests))]
    public void ABadRequestNamesItsFieldAndChangesNothing(string field, string expected, Action<SetApplicationPriorityRequest> change)
    {
        var topology = Load(TwoApplications, TwoClasses);
        var partition = PartitionBuilder.Build(topology, TopologyFile.SettingsFor(topology, null, null));
        var handler = new LiveTrafficHandler(topology, partition);
        var request = new SetApplicationPriorityRequest { Node = "h1", Application = "video", Priority = 3, RateBps = 1_000_000 };
        change(request);
        var refusal = Assert.Throws<InvalidTrafficRequestException>(() => handler.SetApplicationPriority(request, 5_000_000, topology.Duration!.Value));
        Assert.Equal(field, refusal.Field);
        Assert.Contains(expected, refusal.Message);
        Assert.Empty(handler.DrainRecorded());
    }
}
