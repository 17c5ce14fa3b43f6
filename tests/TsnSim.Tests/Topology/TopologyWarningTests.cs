using TsnSim.Core.Topology;
using static TsnSim.Tests.Topology.TopologyErrorAssert;

namespace TsnSim.Tests.Topology;

/// <summary>Doubtful but legal content is reported as a warning and does not stop the topology from loading.</summary>
public class TopologyWarningTests
{
    [Fact]
    public void PortThatNoLinkUsesIsAWarning()
    {
        // Line 5 "  sw1: { kind: switch, ports: [eth0, eth1, spare] }": "spare" is at column 44.
        var result = TopologyLoader.Load(ValidBase.Replace("ports: 2", "ports: [eth0, eth1, spare]"), SourceName);
        Assert.True(result.Succeeded);
        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal((5, 44, "nodes.sw1.ports[2]"), (warning.Line, warning.Column, warning.Field));
        Assert.Contains("port sw1:spare is not used by any link", warning.Message);
        Assert.StartsWith("test.yaml:5:44: warning: nodes.sw1.ports[2]: ", warning.ToString());
    }

    [Fact]
    public void JumboFrameSizeIsAWarning()
    {
        // Line 14 "    size: 1600": the value is at column 11.
        var result = TopologyLoader.Load(ValidBase + "streams:\n  - name: j\n    talker: h1\n    listeners: [h2]\n    period: 1ms\n    size: 1600\n", SourceName);
        Assert.True(result.Succeeded);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal((14, 11, "streams[0].size"), (warning.Line, warning.Column, warning.Field));
        Assert.Contains("exceeds 1522 bytes", warning.Message);
        Assert.Equal(1600, result.Topology.Streams[0].FrameSize);
    }

    [Fact]
    public void StandardMaximumTaggedFrameIsNotAWarning() =>
        Assert.Empty(TopologyLoader.Load(ValidBase + "streams:\n  - { name: m, talker: h1, listener: h2, period: 1ms, size: 1522 }\n", SourceName).Diagnostics);
}
