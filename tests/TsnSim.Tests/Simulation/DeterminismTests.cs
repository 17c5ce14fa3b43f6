using TsnSim.Core.Simulation;
using TsnSim.Core.Time;
using TsnSim.Core.Topology;
using TsnSim.Tests.Support;

namespace TsnSim.Tests.Simulation;

/// <summary>Same topology and seed give the same frame log; a different seed that changes random start offsets does not.</summary>
public class DeterminismTests
{
    private static TopologyConfig Star(bool randomStart)
    {
        var network = new TestNetwork()
            .Host("a").Host("b").Host("c").Switch("sw", 3, SimTime.Parse("1us"))
            .Link("a:eth0", "sw:eth0", DataRate.Parse("1Gbps"), SimTime.Parse("100ns"))
            .Link("b:eth0", "sw:eth1", DataRate.Parse("1Gbps"), SimTime.Parse("100ns"))
            .Link("c:eth0", "sw:eth2", DataRate.Parse("1Gbps"), SimTime.Parse("100ns"))
            .Stream(new StreamConfig("a-to-c", "a", ["c"], SimTime.Parse("10us"), 800) { RandomStart = randomStart })
            .Stream(new StreamConfig("b-to-c", "b", ["c"], SimTime.Parse("7us"), 1000) { RandomStart = randomStart, Pcp = 5 });
        return network.Build(SimTime.Parse("2ms"));
    }

    private static string Digest(TopologyConfig topology, ulong seed) =>
        SingleProcessRun.Execute(topology, new RunSettings(seed, topology.Duration!.Value, SimTime.Parse("1ms"))).FramesDigest;

    [Fact]
    public void SameSeedGivesTheSameDigest()
    {
        var topology = Star(randomStart: true);
        Assert.Equal(Digest(topology, 42), Digest(topology, 42));
    }

    [Fact]
    public void ADifferentSeedWithRandomStartsGivesADifferentDigest()
    {
        var topology = Star(randomStart: true);
        Assert.NotEqual(Digest(topology, 42), Digest(topology, 43));
    }

    [Fact]
    public void WithoutRandomnessTheSeedDoesNotMatter()
    {
        var topology = Star(randomStart: false);
        Assert.Equal(Digest(topology, 42), Digest(topology, 43));
    }

    [Fact]
    public void DigestIsSixtyFourHexDigits() =>
        Assert.Matches("^[0-9a-f]{64}$", Digest(Star(randomStart: false), 1));
}
