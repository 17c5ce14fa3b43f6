using TsnSim.Core.Distributed;
using TsnSim.Core.Simulation;
using TsnSim.Core.Telemetry;
using TsnSim.Core.Time;
using TsnSim.Core.Topology;
using TsnSim.Tests.Support;
using TsnSim.Tests.Topology;

namespace TsnSim.Tests.Distributed;

/// <summary>
/// The conservative protocol through memory: the same topology split into partitions, with
/// messages delivered in shuffled orders, must give exactly the single-process report.
/// </summary>
public class LayoutIndependenceTests
{
    public static IEnumerable<object[]> ExampleTopologies() =>
        Directory.GetFiles(Path.Combine(RepositoryFiles.Root, "topologies"), "*.yaml").Order().Select(f => new object[] { Path.GetFileName(f) });

    private static TopologyConfig LoadExample(string file)
    {
        var path = Path.Combine(RepositoryFiles.Root, "topologies", file);
        var result = TopologyLoader.Load(File.ReadAllBytes(path), path);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        return result.Topology!;
    }

    private static RunSettings SettingsOf(TopologyConfig topology) =>
        new(topology.Seed, topology.Duration ?? SimTime.Parse("10ms"), topology.Drain);

    /// <summary>Two runs are the same run: hops in the same order, events, streams and ports.</summary>
    internal static void AssertSameRun(RunReport expected, RunReport actual)
    {
        Assert.Equal(expected.FramesDigest, actual.FramesDigest);
        Assert.Equal(expected.Hops, actual.Hops);
        Assert.Equal(expected.Events, actual.Events);
        Assert.Equal(expected.Streams, actual.Streams);
        Assert.Equal(expected.Ports, actual.Ports);
    }

    [Theory]
    [MemberData(nameof(ExampleTopologies))]
    public void EveryExampleGivesTheSameDigestWithOneNodePerPartition(string file)
    {
        var topology = LoadExample(file);
        var settings = SettingsOf(topology);
        var single = SingleProcessRun.Execute(topology, settings);
        var split = InMemoryDistributedRun.Execute(topology, settings, PartitionLayout.OnePerNode(topology));
        AssertSameRun(single, split);
    }

    [Theory]
    [InlineData("gptp")]
    [InlineData("e2e")]
    public void NoisyTimestampsWithApplicationTxTimestampsGiveTheSameDigestInAnyLayout(string profile)
    {
        // Each hardware timestamp draws noise from its node's generator: a draw more or fewer in one layout would show.
        var yaml = $$"""
            name: noisy
            duration: 3s
            defaults: { timestamps: { granularity: 8ns, noise: 5ns } }
            ptp: { profile: {{profile}}, sync_interval: 125ms }
            nodes:
              gm: { kind: host, ports: 1, ptp: { priority1: 100 } }
              sw: { kind: switch, ports: 2 }
              es: { kind: host, ports: 1, clock: { ppm: 20 } }
            links:
              - { endpoints: ["gm:eth0", "sw:eth0"] }
              - { endpoints: ["sw:eth1", "es:eth0"] }
            streams:
              - { name: s, talker: gm, listeners: [es], period: 100us, size: 200, tx_timestamps: true }
            """;
        var result = TopologyLoader.Load(yaml, "noisy.yaml");
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var topology = result.Topology!;
        var settings = SettingsOf(topology);
        var single = SingleProcessRun.Execute(topology, settings);
        var split = InMemoryDistributedRun.Execute(topology, settings, PartitionLayout.OnePerNode(topology));
        AssertSameRun(single, split);
        Assert.Equal(single.Ptp, split.Ptp);
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void MessageOrderDoesNotChangeTheResult(ulong shuffleSeed)
    {
        var topology = BidirectionalRing();
        var settings = new RunSettings(5, topology.Duration!.Value, SimTime.Parse("1ms"));
        var single = SingleProcessRun.Execute(topology, settings);
        var split = InMemoryDistributedRun.Execute(topology, settings, PartitionLayout.OnePerNode(topology), shuffleSeed);
        AssertSameRun(single, split);
    }

    [Fact]
    public void MixedPartitionSizesGiveTheSameResult()
    {
        var topology = BidirectionalRing();
        var settings = new RunSettings(5, topology.Duration!.Value, SimTime.Parse("1ms"));
        var layout = PartitionLayout.FromGroups(topology, [["a", "s1"], ["s2", "s3", "c"]]);
        Assert.Equal(3, layout.Partitions.Count);
        AssertSameRun(SingleProcessRun.Execute(topology, settings), InMemoryDistributedRun.Execute(topology, settings, layout, 9));
    }

    [Theory]
    [InlineData("3us")]
    [InlineData("40us")]
    public void ANarrowWindowHoldsSendersBackWithoutChangingTheResult(string window)
    {
        // A window shorter than most lookaheads: senders wait for receivers all the time.
        var topology = BidirectionalRing();
        var settings = new RunSettings(5, topology.Duration!.Value, SimTime.Parse("1ms"));
        var split = InMemoryDistributedRun.Execute(topology, settings, PartitionLayout.OnePerNode(topology), 4, SimTime.Parse(window));
        AssertSameRun(SingleProcessRun.Execute(topology, settings), split);
    }

    [Fact]
    public void UnknownNodeInALayoutIsNamed()
    {
        var error = Assert.Throws<ArgumentException>(() => PartitionLayout.FromGroups(BidirectionalRing(), [["a", "zz"]]));
        Assert.Contains("'zz'", error.Message);
    }

    /// <summary>
    /// Three bridges in a ring with hosts, traffic both ways with random starts: learning,
    /// flooding around a loop (until the drain ends it) and crossing streams.
    /// </summary>
    private static TopologyConfig BidirectionalRing()
    {
        var gig = DataRate.Parse("1Gbps");
        var network = new TestNetwork()
            .Host("a").Host("b").Host("c")
            .Switch("s1", 3, SimTime.Parse("1us")).Switch("s2", 3, SimTime.Parse("500ns")).Switch("s3", 2, SimTime.Parse("2us"))
            .Link("a:eth0", "s1:eth0", gig, SimTime.Parse("100ns"))
            .Link("s1:eth1", "s2:eth0", DataRate.Parse("2.5Gbps"), SimTime.Parse("1us"))
            .Link("s2:eth1", "s3:eth0", gig, SimTime.Parse("300ns"))
            .Link("b:eth0", "s2:eth2", gig, SimTime.Parse("50ns"))
            .Link("s3:eth1", "c:eth0", DataRate.Parse("100Mbps"), SimTime.Parse("2us"))
            .Stream(new StreamConfig("a-c", "a", ["c"], SimTime.Parse("20us"), 200) { RandomStart = true, Pcp = 3 })
            .Stream(new StreamConfig("c-a", "c", ["a"], SimTime.Parse("33us"), 700) { RandomStart = true })
            .Stream(new StreamConfig("b-ac", "b", ["a", "c"], SimTime.Parse("50us"), 64) { RandomStart = true })
            .Stream(new StreamConfig("a-b", "a", ["b"], SimTime.Parse("7us"), 1500) { Count = 100 });
        return network.Build(SimTime.Parse("2ms"));
    }
}
