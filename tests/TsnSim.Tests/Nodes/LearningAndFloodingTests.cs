using TsnSim.Core.Simulation;
using TsnSim.Core.Time;
using TsnSim.Core.Topology;
using TsnSim.Tests.Support;

namespace TsnSim.Tests.Nodes;

/// <summary>
/// 802.1Q bridge behaviour: a frame to an unknown address floods to every other port; once the
/// bridge has seen that address as a source it forwards to that port alone.
/// </summary>
public class LearningAndFloodingTests
{
    private static readonly DataRate Gigabit = DataRate.Parse("1Gbps");
    private static readonly SimTime Delay = SimTime.Parse("100ns");

    private static TestNetwork ThreeHostStar() => new TestNetwork()
        .Host("a").Host("b").Host("c").Switch("sw", 3, SimTime.Parse("1us"))
        .Link("a:eth0", "sw:eth0", Gigabit, Delay)
        .Link("b:eth0", "sw:eth1", Gigabit, Delay)
        .Link("c:eth0", "sw:eth2", Gigabit, Delay);

    [Fact]
    public void UnknownDestinationFloodsToEveryOtherPortButNotBack()
    {
        var topology = ThreeHostStar()
            .Stream(new StreamConfig("a-to-b", "a", ["b"], SimTime.Parse("10us"), 100) { Count = 3 })
            .Build(SimTime.Parse("1ms"));
        var report = SingleProcessRun.Execute(topology, new RunSettings(1, topology.Duration!.Value, SimTime.Parse("1ms")));
        // b never speaks, so the bridge never learns it: every frame floods to b and c, none returns to a.
        Assert.Equal(3, report.Ports.Single(p => p.Node == "b").RxFrames);
        Assert.Equal(3, report.Ports.Single(p => p.Node == "c").RxFrames);
        Assert.Equal(3, report.Ports.Single(p => p.Node == "c").IngressDrops);
        Assert.Equal(0, report.Ports.Single(p => p.Node == "a").RxFrames);
        Assert.Equal(3, report.Streams[0].Received);
    }

    [Fact]
    public void LearnedDestinationGoesOnlyToItsPort()
    {
        var topology = ThreeHostStar()
            // b speaks first (at 0), so by the time a sends (from 20 us) the bridge knows b is on eth1.
            .Stream(new StreamConfig("b-to-a", "b", ["a"], SimTime.Parse("1ms"), 100) { Count = 1 })
            .Stream(new StreamConfig("a-to-b", "a", ["b"], SimTime.Parse("10us"), 100) { Count = 3, Start = SimTime.Parse("20us") })
            .Build(SimTime.Parse("1ms"));
        var report = SingleProcessRun.Execute(topology, new RunSettings(1, topology.Duration!.Value, SimTime.Parse("1ms")));
        // c sees only b's first frame, flooded while a was still unknown.
        Assert.Equal(1, report.Ports.Single(p => p.Node == "c").RxFrames);
        Assert.Equal(3, report.Ports.Single(p => p.Node == "b").RxFrames);
        Assert.Equal(1, report.Ports.Single(p => p.Node == "a").RxFrames);
        Assert.All(report.Streams, s => Assert.Equal(0, s.Lost));
    }

    [Fact]
    public void VlanMembershipConfinesFlooding()
    {
        var network = new TestNetwork()
            .Host("a").Host("b").Host("c").Switch("sw", 3, SimTime.Parse("1us"))
            .Link("a:eth0", "sw:eth0", Gigabit, Delay)
            .Link("b:eth0", "sw:eth1", Gigabit, Delay)
            .Link("c:eth0", "sw:eth2", Gigabit, Delay)
            .Stream(new StreamConfig("a-to-b", "a", ["b"], SimTime.Parse("10us"), 100) { Count = 2, Vlan = 20 });
        var topology = network.Build(SimTime.Parse("1ms"));
        // c's port is a member of VLAN 10 only: VLAN 20 frames must not reach it.
        var sw = topology.Node("sw");
        var ports = sw.Ports.Select(p => p.Name == "eth2" ? p with { Vlans = new HashSet<ushort> { 10 } } : p).ToArray();
        topology = topology with { Nodes = topology.Nodes.Select(n => n.Name == "sw" ? n with { Ports = ports } : n).ToArray() };
        var report = SingleProcessRun.Execute(topology, new RunSettings(1, topology.Duration!.Value, SimTime.Parse("1ms")));
        Assert.Equal(0, report.Ports.Single(p => p.Node == "c").RxFrames);
        Assert.Equal(2, report.Streams[0].Received);
    }

    [Fact]
    public void FullEgressQueueDropsAndCountsFrames()
    {
        // Two talkers at line rate into one 1 Gb/s egress port: half the frames cannot fit.
        var topology = new TestNetwork()
            .Host("a").Host("b").Host("c").Switch("sw", 3, SimTime.Zero)
            .Link("a:eth0", "sw:eth0", Gigabit, Delay)
            .Link("b:eth0", "sw:eth1", Gigabit, Delay)
            .Link("c:eth0", "sw:eth2", Gigabit, Delay)
            .Stream(new StreamConfig("a-to-c", "a", ["c"], SimTime.Parse("12.16us"), 1500) { Count = 3000 })
            .Stream(new StreamConfig("b-to-c", "b", ["c"], SimTime.Parse("12.16us"), 1500) { Count = 3000 })
            .Build(SimTime.Parse("100ms"));
        var report = SingleProcessRun.Execute(topology, new RunSettings(1, topology.Duration!.Value, SimTime.Parse("100ms")));
        var egress = report.Ports.Single(p => p.Node == "sw" && p.Port == "eth2");
        long lost = report.Streams.Sum(s => s.Lost);
        Assert.True(egress.QueueDrops > 0);
        Assert.Equal(egress.QueueDrops, lost);
        Assert.Equal(1000, egress.MaxQueueDepth);
        Assert.Equal(6000 - lost, report.Streams.Sum(s => s.Received));
    }
}
