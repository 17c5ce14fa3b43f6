using TsnSim.Core.Frames;
using TsnSim.Core.Time;
using TsnSim.Core.Topology;
using static TsnSim.Tests.Topology.TopologyErrorAssert;

namespace TsnSim.Tests.Topology;

/// <summary>A valid file becomes the TopologyConfig it describes, with every default applied.</summary>
public class TopologyLoadingTests
{
    private static TopologyConfig LoadValid(string yaml)
    {
        var result = TopologyLoader.Load(yaml, SourceName);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        return result.Topology;
    }

    [Fact]
    public void LineExampleLoadsWithItsNodesLinksAndStreams()
    {
        var result = TopologyLoader.Load(File.ReadAllBytes(RepositoryFiles.Topology("line.yaml")), "line.yaml");
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Empty(result.Diagnostics);
        var topology = result.Topology;

        Assert.Equal("line", topology.Name);
        Assert.Equal("line.yaml", topology.SourceName);
        Assert.Equal(1UL, topology.Seed);
        Assert.Equal(SimTime.FromMilliseconds(10), topology.Duration);
        Assert.Equal(SimTime.FromMilliseconds(100), topology.Drain);

        Assert.Equal(["h1", "sw1", "sw2", "sw3", "h2"], topology.Nodes.Select(n => n.Name));
        Assert.Equal([NodeKind.Host, NodeKind.Switch, NodeKind.Switch, NodeKind.Switch, NodeKind.Host], topology.Nodes.Select(n => n.Kind));
        Assert.Equal(["eth0"], topology.Node("h1").Ports.Select(p => p.Name));
        Assert.Equal(["eth0", "eth1"], topology.Node("sw2").Ports.Select(p => p.Name));
        var sw2 = topology.Node("sw2");
        Assert.Equal(SimTime.FromMicroseconds(1), sw2.ProcessingDelay);
        Assert.Equal(SimTime.FromSeconds(300), sw2.FdbAgingTime);
        Assert.Empty(sw2.Fdb);
        Assert.All(topology.Nodes.SelectMany(n => n.Ports), p => Assert.Equal(new PortConfig(p.Name, 1000, 1, null), p));
        Assert.Equal(SimTime.Zero, topology.Node("h1").ProcessingDelay);
        // Default MACs number the nodes in file order from 1.
        Assert.Equal(MacAddress.TryParse("02:00:00:00:00:01", out var h1Mac) ? h1Mac : default, topology.Node("h1").Mac);
        Assert.Equal(new MacAddress(0x0200_0000_0005), topology.Node("h2").Mac);

        Assert.Equal(
            [
                new LinkConfig(new("h1", "eth0"), new("sw1", "eth0"), DataRate.FromGigabits(1), SimTime.FromMicroseconds(1)),
                new LinkConfig(new("sw1", "eth1"), new("sw2", "eth0"), DataRate.FromGigabits(1), SimTime.FromMicroseconds(1)),
                new LinkConfig(new("sw2", "eth1"), new("sw3", "eth0"), DataRate.FromGigabits(1), SimTime.FromMicroseconds(1)),
                new LinkConfig(new("sw3", "eth1"), new("h2", "eth0"), DataRate.FromGigabits(1), SimTime.FromMicroseconds(1)),
            ],
            topology.Links);

        Assert.Equal(["control", "bulk"], topology.Streams.Select(s => s.Name));
        var control = topology.Streams[0];
        Assert.Equal("h1", control.Talker);
        Assert.Equal(["h2"], control.Listeners);
        Assert.Equal(SimTime.FromMicroseconds(100), control.Period);
        Assert.Equal(128, control.FrameSize);
        Assert.Equal((ushort)10, control.Vlan);
        Assert.Equal(6, control.Pcp);
        Assert.True(control.Tagged);
        Assert.Null(control.TalkerPort);
        Assert.Null(control.Count);
        Assert.False(control.RandomStart);

        var bulk = topology.Streams[1];
        Assert.Equal(1500, bulk.FrameSize);
        Assert.Equal(0, bulk.Pcp);
        Assert.Null(bulk.Vlan);
        Assert.False(bulk.Tagged);
    }

    [Fact]
    public void StreamRateCountsPreambleAndGapOnTheWire()
    {
        // (1500 + 8 preamble + 12 gap) bytes * 8 = 12160 bits; 12160 / 500e6 b/s = 24.32 us = 24 320 000 ps.
        var topology = LoadValid(ValidBase + "streams:\n  - { name: bulk, talker: h1, listeners: [h2], rate: 500Mbps, size: 1500 }\n");
        Assert.Equal(new SimTime(24_320_000), topology.Streams[0].Period);
    }

    [Fact]
    public void BuiltInDefaultsApplyWhenNothingIsSet()
    {
        var topology = LoadValid(ValidBase);
        Assert.Equal(1UL, topology.Seed);
        Assert.Null(topology.Duration);
        Assert.Equal(SimTime.FromMilliseconds(100), topology.Drain);
        Assert.All(topology.Links, l => Assert.Equal((DataRate.FromGigabits(1), SimTime.FromMicroseconds(1)), (l.Rate, l.Delay)));
        Assert.Equal(SimTime.FromMicroseconds(1), topology.Node("sw1").ProcessingDelay);
        Assert.Empty(topology.Streams);
    }

    [Fact]
    public void DefaultsSectionAppliesWhereNodesAndLinksDoNotSetTheirOwn()
    {
        const string yaml = """
            name: d
            seed: 0
            drain: 0
            defaults:
              link: { rate: 100Mbps, delay: 2us }
              host: { queue: 10 }
              switch: { processing: 3us, queue: 20, aging: 60s }
            nodes:
              h1: { kind: host, ports: 1 }
              h2: { kind: host, ports: 1, queue: 11 }
              sw1: { kind: switch, ports: 2, processing: 500ns }
              sw2: { kind: switch, ports: { a: {}, b: { queue: 7 } } }
            links:
              - endpoints: ["h1:eth0", "sw1:eth0"]
              - endpoints: ["sw1:eth1", "sw2:a"]
                rate: 10Gbps
              - endpoints: ["sw2:b", "h2:eth0"]
                delay: 5ns
            """;
        var topology = LoadValid(yaml);
        Assert.Equal(0UL, topology.Seed);
        Assert.Equal(SimTime.Zero, topology.Drain);
        Assert.Equal([10, 11, 20, 20, 20, 7], topology.Nodes.SelectMany(n => n.Ports).Select(p => p.QueueCapacity));
        Assert.Equal(SimTime.FromNanoseconds(500), topology.Node("sw1").ProcessingDelay);
        Assert.Equal(SimTime.FromMicroseconds(3), topology.Node("sw2").ProcessingDelay);
        Assert.Equal(SimTime.FromSeconds(60), topology.Node("sw2").FdbAgingTime);
        Assert.Equal(
            [(DataRate.FromMegabits(100), SimTime.FromMicroseconds(2)), (DataRate.FromGigabits(10), SimTime.FromMicroseconds(2)), (DataRate.FromMegabits(100), SimTime.FromNanoseconds(5))],
            topology.Links.Select(l => (l.Rate, l.Delay)));
    }

    [Fact]
    public void PortSettingsMacAndStaticFdbAreRead()
    {
        const string yaml = """
            name: v
            nodes:
              sw1:
                kind: switch
                mac: "02-AA-00-00-00-01"
                ports:
                  eth0:
                  eth1: { pvid: 10, vlans: [10, 20] }
                fdb:
                  - { mac: "02:00:00:00:00:02", port: eth1, vlan: 10 }
                  - { mac: "91:e0:f0:00:00:01", ports: [eth0, eth1] }
              h1: { kind: host, ports: [nic0] }
              h2: { kind: host, ports: 1 }
            links:
              - endpoints: ["h1:nic0", "sw1:eth0"]
              - endpoints: ["sw1:eth1", "h2:eth0"]
            """;
        var topology = LoadValid(yaml);
        var sw1 = topology.Node("sw1");
        Assert.Equal(new MacAddress(0x02AA_0000_0001), sw1.Mac);
        Assert.Equal(new MacAddress(0x0200_0000_0002), topology.Node("h1").Mac);
        Assert.Null(sw1.Ports[0].Vlans);
        Assert.Equal((ushort)1, sw1.Ports[0].Pvid);
        Assert.Equal((ushort)10, sw1.Ports[1].Pvid);
        Assert.Equal(new HashSet<ushort> { 10, 20 }, sw1.Ports[1].Vlans);
        Assert.False(sw1.Ports[1].IsMemberOf(1));
        Assert.Equal(2, sw1.Fdb.Count);
        Assert.Equal((new MacAddress(0x0200_0000_0002), (ushort)10), (sw1.Fdb[0].Mac, sw1.Fdb[0].Vlan));
        Assert.Equal(["eth1"], sw1.Fdb[0].Ports);
        Assert.Equal((ushort)1, sw1.Fdb[1].Vlan);
        Assert.Equal(["eth0", "eth1"], sw1.Fdb[1].Ports);
        Assert.Equal(["nic0"], topology.Node("h1").Ports.Select(p => p.Name));
    }

    [Fact]
    public void EveryOptionalStreamFieldIsRead()
    {
        var topology = LoadValid(ValidBase + """
            streams:
              - name: all
                talker: h1
                port: eth0
                listener: h2
                period: 1.5us
                size: 200
                vlan: 0
                pcp: 3
                dei: true
                start: 250ns
                count: 42
                deadline: 20us
                dst: "91:e0:f0:00:00:01"
              - { name: random, talker: h2, listeners: [h1], period: 1ms, start: random }
            """);
        var all = topology.Streams[0];
        var expected = new StreamConfig("all", "h1", ["h2"], new SimTime(1_500_000), 200)
            {
                TalkerPort = "eth0",
                Vlan = 0,
                Pcp = 3,
                Dei = true,
                Start = SimTime.FromNanoseconds(250),
                Count = 42,
                Deadline = SimTime.FromMicroseconds(20),
                Destination = new MacAddress(0x91E0_F000_0001),
            };
        // Records compare lists by reference, so the listeners are compared on their own.
        Assert.Equal(expected, all with { Listeners = expected.Listeners });
        Assert.Equal(["h2"], all.Listeners);
        Assert.True(topology.Streams[1].RandomStart);
        Assert.Equal(SimTime.Zero, topology.Streams[1].Start);
        Assert.Equal(64, topology.Streams[1].FrameSize);
    }

    [Fact]
    public void BytesAndTextGiveTheSameTopology()
    {
        var fromText = TopologyLoader.Load(ValidBase, SourceName).Topology!;
        var fromBytes = TopologyLoader.Load(System.Text.Encoding.UTF8.GetBytes(ValidBase), SourceName).Topology!;
        Assert.Equal(fromText.Nodes.Select(n => (n.Name, n.Mac)), fromBytes.Nodes.Select(n => (n.Name, n.Mac)));
        Assert.Equal(fromText.Links, fromBytes.Links);
    }

    [Fact]
    public void AnchorsAndAliasesAreFollowed()
    {
        var topology = LoadValid(ValidBase.Replace("h1: { kind: host, ports: 1 }", "h1: &host { kind: host, ports: 1 }").Replace("h2: { kind: host, ports: 1 }", "h2: *host"));
        Assert.Equal(NodeKind.Host, topology.Node("h2").Kind);
    }
}
