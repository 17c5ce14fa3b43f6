using FsCheck;
using FsCheck.Fluent;
using TsnSim.Core.Frames;
using TsnSim.Core.Links;
using TsnSim.Core.Telemetry;
using TsnSim.Core.Time;
using TsnSim.Core.Topology;
using TsnSim.Hosting;
using TsnSim.Tests.Ptp;
using TsnSim.Tests.Topology;

namespace TsnSim.Tests.Tsn;

/// <summary>
/// 802.1Qbv against analytic expectations: the protected control stream's latency is the
/// empty-network formula with zero jitter while best effort saturates every link; without the
/// gates, strict priority alone lets each hop add up to one best-effort frame; and the guard
/// band never lets a frame run into a closed gate, for random frame sizes and schedules.
/// </summary>
public class QbvTests
{
    private static readonly DataRate Gigabit = DataRate.Parse("1Gbps");

    /// <summary>Four links of 100 ns at 1 Gb/s, three bridges of 2 µs: a 128-byte frame's last bit reaches the sink after 4 × (136 B + 100 ns) + 3 × 2 µs.</summary>
    private static double ControlFormulaUs =>
        (4 * (Ethernet.TimeToLastBit(128, Gigabit).Picoseconds + 100_000) + 3 * 2_000_000) / 1e6;

    private static TopologyConfig Protected() => TopologyFile.Load(RepositoryFiles.Topology("qbv-protected.yaml"), TextWriter.Null);

    [Fact]
    public void TheControlStreamKeepsTheEmptyNetworkLatencyWithZeroJitterWhileBestEffortSaturates()
    {
        var report = GptpNetwork.Run(Protected()).Report;
        var control = report.Streams.Single(s => s.Name == "control");
        Assert.Equal(100, control.Received);
        Assert.Equal(ControlFormulaUs * 1000, control.Latency!.Min, 3);
        Assert.Equal(ControlFormulaUs * 1000, control.Latency.Max, 3);
        Assert.Equal(0, control.JitterNs!.Value, 3);
        // Best effort keeps every link toward the sink busy: at least 95 % of its capacity on the wire, with a queue at b1.
        foreach (var (node, port) in new[] { ("b1", "eth2"), ("b2", "eth1"), ("b3", "eth1") })
        {
            var p = report.Ports.Single(r => r.Node == node && r.Port == port);
            double wireBytes = p.TxBytes + p.TxFrames * (Ethernet.PreambleAndSfdBytes + Ethernet.InterFrameGapBytes);
            Assert.True(wireBytes >= 0.95 * 0.050 * 1e9 / 8, $"{node}:{port} carried {wireBytes} bytes");
        }
        Assert.True(report.Ports.Single(r => r is { Node: "b1", Port: "eth2" }).MaxQueueDepth >= 10);
    }

    [Fact]
    public void OverGptpTheControlStreamsJitterIsBoundedByTheBridgesTimeErrors()
    {
        // The windows open when the control frame is due by the grandmaster's time (the control talker is the
        // grandmaster); a bridge whose clock is behind opens late and the frame waits that much, one ahead never
        // makes it wait. So every latency lies between the formula and the formula plus the bridges' largest
        // time errors, which the run's own ptp section measures apart, from the clocks.
        var report = GptpNetwork.Run(TopologyFile.Load(RepositoryFiles.Topology("qbv-protected-gptp.yaml"), TextWriter.Null)).Report;
        var control = report.Streams.Single(s => s.Name == "control");
        Assert.Equal(control.Sent, control.Received);
        var ptp = report.Ptp!.ToDictionary(p => p.Node);
        Assert.Equal("grandmaster", ptp["ctl"].Role);
        double slack = new[] { "b1", "b2", "b3" }.Sum(b => ptp[b].MaxAbsOffsetNs!.Value);
        double formula = ControlFormulaUs * 1000;
        Assert.InRange(control.Latency!.Min, formula, formula + slack);
        Assert.InRange(control.Latency.Max, formula, formula + slack);
        // The clocks do differ, and it shows: the stream is no longer jitter-free, as with ideal clocks.
        Assert.True(control.JitterNs > 1, $"jitter {control.JitterNs} ns");
    }

    [Fact]
    public void WithoutTheGatesEachHopAddsUpToOneBestEffortFrame()
    {
        var topology = Protected();
        // The same classes, strict priority, no schedule.
        topology = topology with
        {
            Nodes = topology.Nodes.Select(n => n with { Ports = n.Ports.Select(p => p.Egress is { } e ? p with { Egress = e with { Schedule = null } } : p).ToList() }).ToList(),
        };
        var control = GptpNetwork.Run(topology).Report.Streams.Single(s => s.Name == "control");
        double formula = ControlFormulaUs * 1000, blocking = Ethernet.WireTime(1500, Gigabit).Picoseconds / 1000.0;
        // Non-preemptive: a control frame may find a best-effort frame just started at each of the three bridges.
        Assert.True(control.Latency!.Max > formula + 100, $"max {control.Latency.Max} ns: never blocked");
        Assert.InRange(control.Latency.Max, formula, formula + 3 * blocking);
        Assert.InRange(control.Latency.Min, formula, formula + 3 * blocking);
    }

    [Fact]
    public void TheGuardBandNeverLetsAFrameRunIntoAClosedGate()
    {
        var schedules = from count in Gen.Choose(1, 4)
                        from masks in Gen.Choose(0, 3).ArrayOf(count)
                        from intervals in Gen.Choose(1_000, 40_000).ArrayOf(count)
                        from sizes in Gen.Choose(64, 1522).ArrayOf(2)
                        from baseNs in Gen.Choose(0, 30_000)
                        select (masks, intervals, sizes, baseNs);
        Prop.ForAll(schedules.ToArbitrary(), c =>
        {
            var (masks, intervals, sizes, baseNs) = c;
            var entries = string.Join(", ", masks.Zip(intervals, (m, i) => $"\"S {m:x2} {i}\""));
            var yaml = $$"""
                name: guard-band
                duration: 2ms
                defaults: { link: { rate: 1Gbps, delay: 100ns } }
                nodes:
                  h1:
                    kind: host
                    ports: { eth0: { egress: { num_tc: 2, map: [0, 0, 0, 0, 0, 0, 1], schedule: { base_time: {{baseNs}}ns, entries: [{{entries}}] } } } }
                  h2: { kind: host, ports: 1 }
                links:
                  - { endpoints: ["h1:eth0", "h2:eth0"] }
                streams:
                  - { name: a, talker: h1, listeners: [h2], rate: 900Mbps, size: {{sizes[0]}}, vlan: 10, pcp: 6 }
                  - { name: b, talker: h1, listeners: [h2], rate: 900Mbps, size: {{sizes[1]}}, vlan: 10, pcp: 0 }
                """;
            var wire = new TwoClassWire();
            GptpNetwork.Run(yaml, wire);
            // The gates, from the entries alone: before the base time all open, then the cycle (their sum) repeats.
            long cycle = intervals.Sum(i => i * 1000L), start = baseNs * 1000L;
            bool OpenThroughout(long from, long to, int trafficClass)
            {
                if (to <= start) return true;
                for (long t = Math.Max(from, start); t < to;)
                {
                    long offset = (t - start) % cycle, end = 0;
                    for (int i = 0; i < intervals.Length; i++)
                    {
                        end += intervals[i] * 1000L;
                        if (offset < end)
                        {
                            if ((masks[i] & (1 << trafficClass)) == 0) return false;
                            t += end - offset;
                            break;
                        }
                    }
                }
                return true;
            }
            var late = wire.Sent.FirstOrDefault(f => !OpenThroughout(f.StartPs, f.EndPs, f.Class));
            return late == default ? true : throw new Xunit.Sdk.XunitException($"class {late.Class} on the wire {late.StartPs}..{late.EndPs} ps through a closed gate; entries [{entries}], base {baseNs} ns");
        }).QuickCheckThrowOnFailure();
    }
}
