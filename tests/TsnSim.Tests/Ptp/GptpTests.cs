using TsnSim.Core.Frames;
using TsnSim.Core.Links;
using TsnSim.Core.Ptp;
using TsnSim.Core.Ptp.Messages;
using TsnSim.Core.Telemetry;
using TsnSim.Core.Time;
using TsnSim.Hosting;
using TsnSim.Tests.Topology;

namespace TsnSim.Tests.Ptp;

/// <summary>
/// gPTP against analytic expectations: the peer delay equals the link's propagation delay within
/// one timestamp step; a slave 50 ppm off its master locks and runs at 1/(1 + 50·10⁻⁶) adjusted;
/// timers run on the node's own clock; and the seven-hop chain keeps every clock within the
/// issue's 100 ns of the grandmaster with peer delays within 4 ns of the truth.
/// </summary>
public class GptpTests
{
    [Theory]
    [InlineData("333ns", 333_000L)]
    [InlineData("50ns", 50_000L)]
    [InlineData("1.2us", 1_200_000L)]
    public void PeerDelayIsTheLinkDelayWithinOneTimestampStep(string delay, long delayPs)
    {
        var network = GptpNetwork.Run(GptpNetwork.TwoHosts(delay, "{ ppm: 0 }", duration: "12s"));
        foreach (var node in new[] { "gm", "es" })
        {
            var port = network.Gptp(node).Ports[0];
            Assert.True(port.AsCapable || delayPs > 800_000, $"{node} not asCapable");
            Assert.InRange(port.MeanLinkDelayPs!.Value, delayPs - 8_000, delayPs + 8_000);
            // Ideal clocks: 1, to the 8 ns step of each of two timestamps over the 1 s between exchanges.
            Assert.InRange(port.NeighborRateRatio, 1 - 16e-9, 1 + 16e-9);
        }
        // Above neighborPropDelayThresh (800 ns) a link is not asCapable: no Sync crosses it.
        Assert.Equal(delayPs <= 800_000, network.Gptp("es").Ports[0].AsCapable);
    }

    [Fact]
    public void ASlaveFiftyPpmFastLocksAndRunsAtTheMastersRate()
    {
        var network = GptpNetwork.Run(GptpNetwork.TwoHosts("200ns", "{ ppm: 50 }", duration: "30s"));
        var es = network.Node("es");
        Assert.Equal(ServoState.Locked, es.Ptp!.ServoState);
        // (1 + 50e-6)(1 + a) = 1 ⇒ a = −49,997.5 ppb; the servo holds it to within a few ppb.
        Assert.InRange(es.Context.Clock.AdjustmentPpb, -49_997.5 - 20, -49_997.5 + 20);
        var report = Assert.Single(network.Report.Ptp!, p => p.Node == "es");
        Assert.Equal("slave", report.Role);
        // With linuxptp's default gains the servo settles within seconds; over the last 10 s it holds the slave within 30 ns.
        var samples = network.Partition.Nodes.ToDictionary(n => n.Name, n => n.Context.Telemetry.ClockSamples);
        var settled = PtpTimeErrors.Series(network.Topology, samples)["es"].Where(e => e.AtPs >= SimTime.FromSeconds(20).Picoseconds).ToList();
        Assert.True(settled.Count >= 70);
        Assert.All(settled, e => Assert.InRange(e.ErrorPs, -30_000, 30_000));
        Assert.Equal("grandmaster", Assert.Single(network.Report.Ptp!, p => p.Node == "gm").Role);
    }

    [Theory]
    [InlineData("20ns", -20_000L)]
    [InlineData("-36ns", 36_000L)]
    public void AnAsymmetricLinkOffsetsTheSlaveByItsAsymmetry(string asymmetry, long expectedErrorPs)
    {
        // gm → es takes delay + asymmetry, es → gm delay − asymmetry; peer delay measures the mean,
        // so the slave takes each Sync to have travelled the mean and sets its clock off by the
        // asymmetry (IEEE 1588 16.8): behind when master-to-slave is the longer way.
        var yaml = GptpNetwork.TwoHosts("200ns", "{ ppm: 10 }", duration: "20s", granularity: "0ns")
            .Replace("delay: 200ns }", $"delay: 200ns, asymmetry: {asymmetry} }}", StringComparison.Ordinal);
        var network = GptpNetwork.Run(yaml);
        Assert.InRange(network.Gptp("es").Ports[0].MeanLinkDelayPs!.Value, 200_000 - 100, 200_000 + 100);
        var samples = network.Partition.Nodes.ToDictionary(n => n.Name, n => n.Context.Telemetry.ClockSamples);
        var settled = PtpTimeErrors.Series(network.Topology, samples)["es"].Where(e => e.AtPs >= SimTime.FromSeconds(15).Picoseconds).ToList();
        Assert.NotEmpty(settled);
        Assert.All(settled, e => Assert.InRange(e.ErrorPs, expectedErrorPs - 1_000, expectedErrorPs + 1_000));
    }

    [Fact]
    public void TimersRunOnTheNodesOwnClock()
    {
        // The grandmaster's clock runs 100 ppm fast and is never adjusted: its Syncs, one every
        // 125 ms of its own clock, leave every 125 ms / (1 + 10⁻⁴) of true time.
        var capture = new SyncCapture();
        var yaml = GptpNetwork.TwoHosts("100ns", "{ ppm: 0 }", duration: "3s").Replace("ptp: { priority1: 246 } }", "ptp: { priority1: 246 }, clock: { ppm: 100 } }", StringComparison.Ordinal);
        GptpNetwork.Run(yaml, capture);
        Assert.True(capture.SyncStarts.Count >= 20);
        long expected = (long)Math.Round(125e9 / 1.0001);
        foreach (var (a, b) in capture.SyncStarts.Zip(capture.SyncStarts.Skip(1)))
            Assert.InRange(b - a, expected - 1, expected + 1);
    }

    [Fact]
    public void TheSevenHopChainHoldsEveryClockWithinAHundredNanoseconds()
    {
        var topology = TopologyFile.Load(RepositoryFiles.Topology("gptp-7hop.yaml"), TextWriter.Null);
        var network = GptpNetwork.Run(topology);
        var reports = network.Report.Ptp!;
        Assert.Equal(topology.Nodes.Count, reports.Count);
        Assert.All(reports, r =>
        {
            Assert.NotNull(r.MaxAbsOffsetNs);
            Assert.True(r.MaxAbsOffsetNs <= 100, $"{r.Node}: max |time error| {r.MaxAbsOffsetNs} ns");
            // 60 s of samples after convergence, every 125 ms.
            Assert.True(r.Role == "grandmaster" || r.Samples >= 60 * 8, $"{r.Node}: only {r.Samples} samples after convergence");
        });
        // Every link's peer delay, from both ends, within 4 ns of its propagation delay.
        foreach (var link in topology.Links)
            foreach (var end in new[] { link.A, link.B })
            {
                var node = network.Node(end.Node);
                var port = network.Gptp(end.Node).Ports[node.Config.PortIndex(end.Port)];
                Assert.InRange(port.MeanLinkDelayPs!.Value, link.Delay.Picoseconds - 4_000, link.Delay.Picoseconds + 4_000);
            }
        // The telemetry's per-interval view agrees: once each node follows the grandmaster (5 s), every sample's
        // measured slave-link delay is within 4 ns of the true one, and its servo is locked.
        foreach (var node in network.Partition.Nodes.Where(n => n.Name != "gm"))
            Assert.All(node.Context.Telemetry.ClockSamples.Where(s => s.AtPs >= SimTime.FromSeconds(7).Picoseconds), s =>
            {
                Assert.Equal(ServoState.Locked, s.State);
                Assert.True(s.TrueDelayPs > 0);
                Assert.InRange(s.EstimatedDelayPs, s.TrueDelayPs - 4_000, s.TrueDelayPs + 4_000);
            });
    }

    [Fact]
    public void TheGrandmasterIsTheBestPriorityAndSlavePortsLeadToIt()
    {
        var topology = TopologyFile.Load(RepositoryFiles.Topology("gptp-7hop.yaml"), TextWriter.Null);
        var plans = PtpRoles.Compute(topology);
        Assert.True(plans["gm"].IsGrandmaster);
        Assert.Equal(-1, plans["gm"].SlavePort);
        // Each bridge's eth0 faces the grandmaster; the end station has one port.
        foreach (var bridge in new[] { "b1", "b2", "b3", "b4", "b5", "b6" }) Assert.Equal(0, plans[bridge].SlavePort);
        Assert.Equal(0, plans["es"].SlavePort);
        // Lower priority1 on the end station: it becomes grandmaster and the roles turn around.
        var flipped = topology with { Nodes = topology.Nodes.Select(n => n.Name == "es" ? n with { Ptp = n.Ptp with { Priority1 = 10 } } : n).ToList() };
        var turned = PtpRoles.Compute(flipped);
        Assert.True(turned["es"].IsGrandmaster);
        foreach (var bridge in new[] { "b1", "b2", "b3", "b4", "b5", "b6" }) Assert.Equal(1, turned[bridge].SlavePort);
    }

    /// <summary>When the grandmaster's Sync messages were made (its timer's instants; the wire may hold them a little).</summary>
    private sealed class SyncCapture : IFrameCapture
    {
        public List<long> SyncStarts { get; } = [];

        public void OnFrame(Port port, Frame frame, SimTime firstBit, bool outbound)
        {
            if (outbound && port.Owner.Name == "gm" && PtpFrame.IsPtp(frame.Bytes) && (frame.Bytes[PtpFrame.PayloadOffset] & 0x0F) == (byte)PtpMessageType.Sync)
                SyncStarts.Add(frame.CreatedAt.Picoseconds);
        }
    }
}
