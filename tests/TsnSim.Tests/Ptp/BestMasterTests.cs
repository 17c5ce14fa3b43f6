using TsnSim.Core.Ptp;
using TsnSim.Core.Ptp.Messages;
using TsnSim.Core.Telemetry;
using TsnSim.Core.Time;

namespace TsnSim.Tests.Ptp;

/// <summary>
/// The best master clock algorithm run from Announce messages, against 802.1AS's ordering of
/// system identities (priority1, clockClass, clockAccuracy, variance, priority2, clockIdentity):
/// it settles on the right grandmaster with each node's slave port on its shortest path there
/// (what <see cref="PtpRoles"/> computes from the file), and when the grandmaster stops, the
/// announce receipt timeout hands the domain to the next best clock.
/// </summary>
public class BestMasterTests
{
    private static string Chain(string h1 = "", string sw1 = "", string sw2 = "", string h2 = "") => $$"""
        name: bmca
        duration: 10s
        ptp: { profile: gptp }
        defaults: { clock: { ppm: [-50, 50] } }
        nodes:
          h1: { kind: host, ports: 1{{h1}} }
          sw1: { kind: switch, ports: 2{{sw1}} }
          sw2: { kind: switch, ports: 2{{sw2}} }
          h2: { kind: host, ports: 1{{h2}} }
        links:
          - { endpoints: ["h1:eth0", "sw1:eth0"], delay: 100ns }
          - { endpoints: ["sw1:eth1", "sw2:eth0"], delay: 100ns }
          - { endpoints: ["sw2:eth1", "h2:eth0"], delay: 100ns }
        """;

    [Theory]
    [InlineData("", "", "", ", ptp: { priority1: 100 }", "h2")]            // priority1 decides
    [InlineData("", "", ", ptp: { clock_class: 6 }", "", "sw2")]           // then clockClass
    [InlineData(", ptp: { priority2: 200 }", ", ptp: { priority2: 100 }", "", "", "sw1")] // then priority2
    [InlineData("", "", "", "", "h1")]                                     // then the lowest clockIdentity (h1's MAC is the lowest)
    public void AnnouncesSettleOnTheBestSystemIdentity(string h1, string sw1, string sw2, string h2, string expected)
    {
        var network = GptpNetwork.Run(Chain(h1, sw1, sw2, h2));
        var expectedIdentity = PortIdentity.ClockIdentityOf(network.Topology.Node(expected).Mac);
        var plans = PtpRoles.Compute(network.Topology);
        Assert.Equal(expected, plans.Values.First().Grandmaster);
        foreach (var node in network.Partition.Nodes)
        {
            var ptp = network.Gptp(node.Name);
            Assert.Equal(expectedIdentity, ptp.Grandmaster);
            Assert.Equal(plans[node.Name].SlavePort, ptp.SlavePort);
            Assert.Equal(node.Name == expected, ptp.IsGrandmaster);
        }
    }

    [Fact]
    public void WhenTheGrandmasterStopsTheNextBestTakesOver()
    {
        var yaml = """
            name: failover
            duration: 40s
            ptp: { profile: gptp }
            defaults: { clock: { ppm: [-50, 50] } }
            nodes:
              gm: { kind: host, ports: 1, ptp: { priority1: 100, stop_at: 15s } }
              b1: { kind: switch, ports: 3 }
              backup: { kind: host, ports: 1, ptp: { priority1: 120 } }
              es: { kind: host, ports: 1 }
            links:
              - { endpoints: ["gm:eth0", "b1:eth0"], delay: 100ns }
              - { endpoints: ["b1:eth1", "backup:eth0"], delay: 100ns }
              - { endpoints: ["b1:eth2", "es:eth0"], delay: 100ns }
            """;
        var network = GptpNetwork.Run(yaml);
        var gm = PortIdentity.ClockIdentityOf(network.Topology.Node("gm").Mac);
        var backup = PortIdentity.ClockIdentityOf(network.Topology.Node("backup").Mac);
        foreach (var name in new[] { "b1", "backup", "es" })
        {
            var samples = network.Node(name).Context.Telemetry.ClockSamples;
            // Following gm before it stops; within the receipt timeout (3 announce intervals) and a couple
            // more intervals for the new announces to spread, following the backup; to the end.
            Assert.Equal(gm, samples.Single(s => s.AtPs == SimTime.FromSeconds(14).Picoseconds).Grandmaster);
            Assert.All(samples.Where(s => s.AtPs >= SimTime.FromSeconds(21).Picoseconds), s => Assert.Equal(backup, s.Grandmaster));
        }
        Assert.True(network.Node("backup").Ptp!.IsGrandmaster);
        // The end station keeps time with the new grandmaster: its last 10 s within 50 ns of it.
        var series = PtpTimeErrors.Series(network.Topology, network.Partition.Nodes.ToDictionary(n => n.Name, n => n.Context.Telemetry.ClockSamples));
        var late = series["es"].Where(e => e.AtPs >= SimTime.FromSeconds(30).Picoseconds).ToList();
        Assert.All(late, e => Assert.Equal("backup", e.Grandmaster));
        Assert.All(late, e => Assert.InRange(e.ErrorPs, -50_000, 50_000));
        var report = network.Report.Ptp!.ToDictionary(p => p.Node);
        Assert.Equal("grandmaster", report["backup"].Role);
        Assert.Equal("slave", report["es"].Role);
    }
}
