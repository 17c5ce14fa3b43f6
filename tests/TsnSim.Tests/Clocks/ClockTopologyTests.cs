using TsnSim.Core.Topology;
using TsnSim.Tests.Topology;

namespace TsnSim.Tests.Clocks;

/// <summary>A node's clock and timestamp unit in topology files: defaults, per-node overrides, and errors at their line and column.</summary>
public class ClockTopologyTests
{
    [Fact]
    public void NodesInheritTheDefaultClockAndOverrideItFieldByField()
    {
        var yaml = """
            name: t
            defaults:
              clock: { ppm: [-100, 100], wander: 1 }
              timestamps: { granularity: 4ns }
            nodes:
              h1: { kind: host, ports: 1, clock: { ppm: 0, wander: 0 } }
              h2: { kind: host, ports: 1, timestamps: { noise: 1ns, rx_latency: 200ns } }
              sw1: { kind: switch, ports: 2, clock: { max_adj: 62499999 } }
            links:
              - endpoints: ["h1:eth0", "sw1:eth0"]
              - endpoints: ["sw1:eth1", "h2:eth0"]
            """;
        var result = TopologyLoader.Load(yaml, "t.yaml");
        Assert.True(result.Succeeded, string.Join("; ", result.Diagnostics));
        var nodes = result.Topology!.Nodes.ToDictionary(n => n.Name);
        Assert.True(nodes["h1"].Clock.Oscillator.IsIdeal);
        Assert.Equal((-100, 100, 1, 10), (nodes["h2"].Clock.Oscillator.MinPpm, nodes["h2"].Clock.Oscillator.MaxPpm, nodes["h2"].Clock.Oscillator.WanderPpmPerSecond, nodes["h2"].Clock.Oscillator.WanderBoundPpm));
        Assert.Equal(62_499_999, nodes["sw1"].Clock.MaxAdjustmentPpb);
        Assert.Equal(-100, nodes["sw1"].Clock.Oscillator.MinPpm);
        Assert.Equal(4_000, nodes["h1"].Timestamps.Granularity.Picoseconds);
        Assert.Equal((4_000L, 1_000L, 200_000L), (nodes["h2"].Timestamps.Granularity.Picoseconds, nodes["h2"].Timestamps.Noise.Picoseconds, nodes["h2"].Timestamps.RxLatency.Picoseconds));
    }

    [Fact]
    public void WithoutAClockSectionEveryClockIsIdealWithEightNanosecondTimestamps()
    {
        var result = TopologyLoader.Load(TopologyErrorAssert.ValidBase, "t.yaml");
        Assert.All(result.Topology!.Nodes, n =>
        {
            Assert.True(n.Clock.Oscillator.IsIdeal);
            Assert.Equal(8_000, n.Timestamps.Granularity.Picoseconds);
        });
    }

    [Theory]
    [InlineData("clock: { ppm: 2000 }", "2000", "nodes.h3.clock.ppm", "2000 is out of range; expected the frequency offset in ppm, a number from -1000 to 1000")]
    [InlineData("clock: { ppm: [5, 1] }", "[5, 1]", "nodes.h3.clock.ppm", "[5, 1] is empty; expected [min, max] with min ≤ max")]
    [InlineData("clock: { ppm: fast }", "fast", "nodes.h3.clock.ppm", "'fast' is not a number")]
    [InlineData("clock: { wobble: 1 }", "wobble", "nodes.h3.clock", "wobble")]
    [InlineData("timestamps: { granularity: -8ns }", "-8ns", "nodes.h3.timestamps.granularity", "")]
    public void ABadClockIsAnErrorAtItsPosition(string setting, string at, string field, string message)
    {
        var nodeLine = $"  h3: {{ kind: host, ports: 1, {setting} }}";
        var yaml = TopologyErrorAssert.ValidBase.Replace("nodes:\n", $"nodes:\n{nodeLine}\n", StringComparison.Ordinal);
        var result = TopologyLoader.Load(yaml, TopologyErrorAssert.SourceName);
        var error = Assert.Single(result.Errors);
        Assert.Equal(field, error.Field);
        // The node is line 3 of the file; the error points at the offending value.
        Assert.Equal((3, nodeLine.IndexOf(at, StringComparison.Ordinal) + 1), (error.Line, error.Column));
        Assert.Contains(message, error.Message);
    }
}
