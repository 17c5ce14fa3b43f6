using TsnSim.Core.Ptp;
using TsnSim.Core.Ptp.E2e;
using TsnSim.Core.Ptp.Messages;
using TsnSim.Core.Telemetry;
using TsnSim.Core.Time;
using TsnSim.Tests.Topology;

namespace TsnSim.Tests.Ptp;

/// <summary>
/// IEEE 1588's delay request-response profile against 1588 11.3's formulas, through end-to-end
/// transparent clocks: the mean path delay is the sum of the link delays whatever the queueing in
/// the bridges (their residence times ride in the corrections); a link's asymmetry offsets the
/// slave by that asymmetry; a slave 50 ppm off locks at its master's rate; the best clock is
/// chosen through the bridges and a backup takes over when it stops.
/// </summary>
public class EndToEndTests
{
    /// <summary>gm — tc1 — tc2 — es, with bulk traffic both ways at 300 Mb/s when asked for, which queues PTP messages in the bridges.</summary>
    private static string Chain(string slaveClock = "{ ppm: 0 }", string bridgeClock = "{ ppm: 0 }", string granularity = "0ns", string asymmetry = "0ns",
        bool bulk = false, string duration = "20s") => $$"""
        name: e2e-chain
        duration: {{duration}}
        defaults: { timestamps: { granularity: {{granularity}} }, link: { rate: 1Gbps } }
        ptp: { profile: e2e, sync_interval: 125ms, delay_req_interval: 125ms }
        nodes:
          gm: { kind: host, ports: 1, ptp: { priority1: 100 } }
          tc1: { kind: switch, ports: 2, clock: {{bridgeClock}} }
          tc2: { kind: switch, ports: 2, clock: {{bridgeClock}} }
          es: { kind: host, ports: 1, clock: {{slaveClock}} }
        links:
          - { endpoints: ["gm:eth0", "tc1:eth0"], delay: 120ns, asymmetry: {{asymmetry}} }
          - { endpoints: ["tc1:eth1", "tc2:eth0"], delay: 480ns }
          - { endpoints: ["tc2:eth1", "es:eth0"], delay: 230ns }
        {{(bulk ? """
        streams:
          - { name: down, talker: gm, listeners: [es], rate: 300Mbps, size: 1500 }
          - { name: up, talker: es, listeners: [gm], rate: 300Mbps, size: 1500 }
        """ : "")}}
        """;

    private const long ChainDelayPs = 120_000 + 480_000 + 230_000;

    private static OrdinaryClock Clock(GptpNetwork network, string name) => Assert.IsType<OrdinaryClock>(network.Node(name).Ptp);

    private static List<(long AtPs, long ErrorPs, bool Locked, string Grandmaster)> Settled(GptpNetwork network, string node, long fromSeconds) =>
        PtpTimeErrors.Series(network.Topology, network.Partition.Nodes.ToDictionary(n => n.Name, n => n.Context.Telemetry.ClockSamples))[node]
            .Where(e => e.AtPs >= SimTime.FromMilliseconds(fromSeconds * 1000).Picoseconds).ToList();

    [Theory]
    [InlineData(false, "{ ppm: 0 }", 0L)]
    // Queueing behind 1500-byte frames at 300 Mb/s both ways: residences of up to two frames' time, each measured exactly.
    [InlineData(true, "{ ppm: 0 }", 0L)]
    // Bridges 100 ppm fast and free-running: each residence is long by 10⁻⁴ of itself, as 1588 warns of unsyntonized transparent clocks.
    [InlineData(true, "{ ppm: 100 }", 100L)]
    public void ThePathDelayIsTheSumOfTheLinkDelaysWhateverTheBridgesQueue(bool bulk, string bridgeClock, long bridgePpm)
    {
        var network = GptpNetwork.Run(Chain(bridgeClock: bridgeClock, bulk: bulk, duration: "12s"));
        var es = Clock(network, "es");
        Assert.Equal(0, es.SlavePort);
        Assert.Equal(ServoState.Locked, es.ServoState);
        var residences = network.Report.Ports.Where(p => p.Node.StartsWith("tc", StringComparison.Ordinal)).ToList();
        if (bulk) Assert.All(residences, p => Assert.True(p.MaxQueueDepth >= 1, $"{p.Node}:{p.Port} never queued"));
        // Exact timestamps and ideal end clocks: the path delay to the picosecond, but for the bridges' rate error over residences of up to
        // two 1500-byte frames (24.6 µs): at most 10⁻⁴ × 24.6 µs ≈ 2.5 ns per bridge, halved by the mean over both directions.
        long bound = 10 + bridgePpm * 25 * 2;
        Assert.InRange(es.MeanPathDelayPs!.Value, ChainDelayPs - bound, ChainDelayPs + bound);
        var settled = Settled(network, "es", 8);
        Assert.True(settled.Count >= 30);
        Assert.All(settled, e => Assert.InRange(e.ErrorPs, -2 * bound - 1_000, 2 * bound + 1_000));
    }

    [Fact]
    public void ASlaveFiftyPpmFastLocksThroughTwoTransparentClocksAtItsMastersRate()
    {
        var network = GptpNetwork.Run(Chain(slaveClock: "{ ppm: 50 }", bridgeClock: "{ ppm: -30 }", granularity: "8ns", duration: "30s"));
        var es = Clock(network, "es");
        Assert.Equal(ServoState.Locked, es.ServoState);
        // (1 + 50e-6)(1 + a) = 1 ⇒ a = −49,997.5 ppb; the servo holds it to within a few ppb.
        Assert.InRange(network.Node("es").Context.Clock.AdjustmentPpb, -49_997.5 - 20, -49_997.5 + 20);
        // 8 ns timestamps: four in each exchange, two more per bridge; the median of ten is within a step.
        Assert.InRange(es.MeanPathDelayPs!.Value, ChainDelayPs - 8_000, ChainDelayPs + 8_000);
        Assert.All(Settled(network, "es", 20), e => Assert.InRange(e.ErrorPs, -40_000, 40_000));
        var report = network.Report.Ptp!.ToDictionary(p => p.Node);
        Assert.Equal("grandmaster", report["gm"].Role);
        Assert.Equal("slave", report["es"].Role);
        // Transparent clocks keep no time of the domain: they have no entry.
        Assert.False(report.ContainsKey("tc1"));
    }

    [Theory]
    [InlineData("20ns", -20_000L)]
    [InlineData("-36ns", 36_000L)]
    public void AnAsymmetricLinkOffsetsTheSlaveByItsAsymmetry(string asymmetry, long expectedErrorPs)
    {
        // gm → tc1 takes 120 ns + asymmetry, the way back 120 ns − asymmetry: the mean path delay is
        // unchanged, the slave takes each Sync to have travelled the mean, and sets its clock off by
        // the asymmetry (IEEE 1588 16.8): behind when master-to-slave is the longer way.
        var network = GptpNetwork.Run(Chain(slaveClock: "{ ppm: 10 }", asymmetry: asymmetry));
        Assert.InRange(Clock(network, "es").MeanPathDelayPs!.Value, ChainDelayPs - 100, ChainDelayPs + 100);
        var settled = Settled(network, "es", 15);
        Assert.NotEmpty(settled);
        Assert.All(settled, e => Assert.InRange(e.ErrorPs, expectedErrorPs - 1_000, expectedErrorPs + 1_000));
    }

    [Fact]
    public void TheBestClockIsChosenThroughTheBridgesAndTheBackupTakesOverWhenItStops()
    {
        const string yaml = """
            name: e2e-failover
            duration: 40s
            defaults: { clock: { ppm: [-50, 50] } }
            ptp: { profile: e2e, sync_interval: 125ms }
            nodes:
              gm: { kind: host, ports: 1, ptp: { priority1: 100, stop_at: 15s } }
              tc1: { kind: switch, ports: 3 }
              tc2: { kind: switch, ports: 2 }
              backup: { kind: host, ports: 1, ptp: { priority1: 120 } }
              es: { kind: host, ports: 1 }
            links:
              - { endpoints: ["gm:eth0", "tc1:eth0"], delay: 100ns }
              - { endpoints: ["tc1:eth1", "backup:eth0"], delay: 100ns }
              - { endpoints: ["tc1:eth2", "tc2:eth0"], delay: 300ns }
              - { endpoints: ["tc2:eth1", "es:eth0"], delay: 100ns }
            """;
        var network = GptpNetwork.Run(yaml);
        var gm = PortIdentity.ClockIdentityOf(network.Topology.Node("gm").Mac);
        var backup = PortIdentity.ClockIdentityOf(network.Topology.Node("backup").Mac);
        Assert.Equal("gm", PtpRoles.Compute(network.Topology)["es"].Grandmaster);
        foreach (var name in new[] { "backup", "es" })
        {
            var samples = network.Node(name).Context.Telemetry.ClockSamples;
            Assert.Equal(gm, samples.Single(s => s.AtPs == SimTime.FromSeconds(14).Picoseconds).Grandmaster);
            // The announce receipt timeout (3 × 2 s) and one more announce interval after the stop, the backup is the grandmaster.
            Assert.All(samples.Where(s => s.AtPs >= SimTime.FromSeconds(23).Picoseconds), s => Assert.Equal(backup, s.Grandmaster));
        }
        Assert.True(network.Node("backup").Ptp!.IsGrandmaster);
        var late = Settled(network, "es", 32);
        Assert.All(late, e => Assert.Equal("backup", e.Grandmaster));
        Assert.All(late, e => Assert.InRange(e.ErrorPs, -50_000, 50_000));
        // The path to the backup: 100 + 300 + 100 ns, as the samples' true delay says too.
        Assert.InRange(Clock(network, "es").MeanPathDelayPs!.Value, 500_000 - 8_000, 500_000 + 8_000);
        Assert.Equal(500_000, network.Node("es").Context.Telemetry.ClockSamples[^1].TrueDelayPs);
        var report = network.Report.Ptp!.ToDictionary(p => p.Node);
        Assert.Equal(("stopped", "grandmaster", "slave"), (report["gm"].Role, report["backup"].Role, report["es"].Role));
    }
}
