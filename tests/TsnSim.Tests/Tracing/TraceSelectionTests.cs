using TsnSim.Core.Topology;
using TsnSim.Core.Tracing;
using TsnSim.Tests.Topology;

namespace TsnSim.Tests.Tracing;

/// <summary>
/// Which frames are traced: a ratio r traces frame s when ⌊s·r⌋ &gt; ⌊(s−1)·r⌋, so over n frames
/// ⌊(n−1)·r⌋ + 1 are traced, the first one included and the rest evenly spaced; the command
/// line's list replaces the topology's choice; a stream setting the loader cannot read is an
/// error at its line and column.
/// </summary>
public class TraceSelectionTests
{
    private static TopologyConfig WithTraces(params string[] traces)
    {
        var streams = string.Concat(traces.Select((t, i) => $"  - {{ name: s{i}, talker: h1, listeners: [h2], period: 1ms{(t.Length > 0 ? $", trace: {t}" : "")} }}\n"));
        var result = TopologyLoader.Load(TopologyErrorAssert.ValidBase + "streams:\n" + streams, TopologyErrorAssert.SourceName);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Message)));
        return result.Topology!;
    }

    [Theory]
    [InlineData("0.25", 1000, 250, 4)]
    [InlineData("0.1", 1000, 100, 10)]
    [InlineData("0.5", 7, 4, 2)]
    [InlineData("0.3", 4, 1, 0)]
    [InlineData("true", 50, 50, 1)]
    [InlineData("1", 50, 50, 1)]
    public void ARatioTracesThatShareOfFramesEvenlyFromTheFirst(string setting, int frames, int expected, int spacing)
    {
        var selection = FrameTraceSelection.For(WithTraces(setting), null);
        var traced = Enumerable.Range(0, frames).Where(s => selection.Traces(0, s)).ToList();
        Assert.Equal(expected, traced.Count);
        Assert.Equal(0, traced[0]);
        Assert.Equal((int)Math.Floor((frames - 1) * double.Parse(setting == "true" ? "1" : setting, System.Globalization.CultureInfo.InvariantCulture)) + 1, traced.Count);
        Assert.All(traced.Zip(traced.Skip(1)), pair => Assert.Equal(spacing, pair.Second - pair.First));
    }

    [Fact]
    public void AThirdTracesEveryThirdFrame()
    {
        var selection = FrameTraceSelection.For(WithTraces("0.3333333333333333"), null);
        Assert.Equal(Enumerable.Range(0, 34).Select(i => 3 * i), Enumerable.Range(0, 100).Where(s => selection.Traces(0, s)));
    }

    [Fact]
    public void StreamsWithoutATraceSettingAreNotTracedAndNothingIsTracedWithoutOne()
    {
        var topology = WithTraces("", "false", "0");
        var selection = FrameTraceSelection.For(topology, null);
        Assert.True(selection.IsEmpty);
        Assert.DoesNotContain(Enumerable.Range(0, 3), stream => Enumerable.Range(0, 100).Any(s => selection.Traces(stream, s)));
    }

    [Fact]
    public void TheCommandLineListReplacesTheTopologysChoice()
    {
        var topology = WithTraces("true", "", "0.5");
        var onlyS1 = FrameTraceSelection.For(topology, ["s1"]);
        Assert.False(onlyS1.Traces(0, 0));
        Assert.True(Enumerable.Range(0, 20).All(s => onlyS1.Traces(1, s)));
        Assert.False(onlyS1.Traces(2, 0));
        var all = FrameTraceSelection.For(topology, ["all"]);
        Assert.True(Enumerable.Range(0, 3).All(stream => Enumerable.Range(0, 20).All(s => all.Traces(stream, s))));
        // Live streams exist only once a client starts them: "all" and TALKER/NAME pick them.
        int live = Core.Traffic.LiveStreamIndex.For(0, 0);
        Assert.True(all.Traces(live, 5, "h1/app"));
        Assert.False(onlyS1.Traces(live, 5, "h1/app"));
        Assert.True(FrameTraceSelection.For(topology, ["h1/app"]).Traces(live, 5, "h1/app"));
        Assert.True(FrameTraceSelection.For(topology, []).IsEmpty);
        var unknown = Assert.Throws<ArgumentException>(() => FrameTraceSelection.For(topology, ["s7x"]));
        Assert.Contains("no stream 's7x'", unknown.Message);
        // A live stream of a node that is not a host of the topology cannot exist.
        Assert.Throws<ArgumentException>(() => FrameTraceSelection.For(topology, ["sw1/app"]));
        Assert.Throws<ArgumentException>(() => FrameTraceSelection.For(topology, ["h9/app"]));
    }

    [Theory]
    [InlineData("2", "'2' is not a trace setting")]
    [InlineData("-0.1", "'-0.1' is not a trace setting")]
    [InlineData("yes", "'yes' is not a trace setting")]
    public void AnUnreadableTraceSettingIsAnErrorAtItsPosition(string value, string message)
    {
        var yaml = TopologyErrorAssert.ValidBase + $"streams:\n  - {{ name: s, talker: h1, listeners: [h2], period: 1ms, trace: {value} }}\n";
        int column = "  - { name: s, talker: h1, listeners: [h2], period: 1ms, trace: ".Length + 1;
        TopologyErrorAssert.SingleError(yaml, 10, column, "streams[0].trace", message, "expected true, false, or the share of frames to trace, a number from 0 to 1");
    }
}
