using System.Text.Json;
using TsnSim.Tests.Support;
using TsnSim.Tests.Topology;

namespace TsnSim.Tests.Distributed;

/// <summary>
/// Every example topology, run in one process (<c>tsnsim run</c>) and as one process per node
/// over gRPC (<c>tsnsim up</c>), gives the same frame log digest and the same stream figures:
/// the latency histograms merged from the node processes' deltas give the single process's
/// percentiles to the picosecond. New topologies in topologies/ are checked automatically.
/// </summary>
[Collection(ProcessTests.Collection)]
public class UpMatchesRunTests
{
    public static IEnumerable<object[]> ExampleTopologies() => LayoutIndependenceTests.ExampleTopologies();

    [Theory]
    [MemberData(nameof(ExampleTopologies))]
    public void OneProcessPerNodeGivesTheSingleProcessDigest(string file)
    {
        var path = Path.Combine(RepositoryFiles.Root, "topologies", file);
        var runReport = CliProcess.TempFile("", ".json");
        var upReport = CliProcess.TempFile("", ".json");
        var runLog = CliProcess.TempFile("", ".csv");
        var upLog = CliProcess.TempFile("", ".csv");
        var runMarkdown = CliProcess.TempFile("", ".md");
        var upMarkdown = CliProcess.TempFile("", ".md");
        var run = CliProcess.Run("run", path, "--report", runReport, "--report-md", runMarkdown, "--frame-log", runLog);
        var up = CliProcess.Run("up", path, "--report", upReport, "--report-md", upMarkdown, "--quiet", "--frame-log", upLog);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.True(up.ExitCode == 0, up.Stderr + up.Stdout);

        using var single = JsonDocument.Parse(File.ReadAllText(runReport));
        using var distributed = JsonDocument.Parse(File.ReadAllText(upReport));
        Assert.Equal("run", single.RootElement.GetProperty("mode").GetString());
        Assert.Equal("up", distributed.RootElement.GetProperty("mode").GetString());
        Assert.True(distributed.RootElement.GetProperty("complete").GetBoolean());
        foreach (var field in new[] { "frames_digest", "hops", "events", "seed", "duration_ns" })
            Assert.Equal(single.RootElement.GetProperty(field).GetRawText(), distributed.RootElement.GetProperty(field).GetRawText());
        Assert.Equal(single.RootElement.GetProperty("streams").GetRawText(), distributed.RootElement.GetProperty("streams").GetRawText());
        // gPTP topologies: every node's time error, computed by the coordinator from the nodes' clock samples, is the single process's.
        if (single.RootElement.TryGetProperty("ptp", out var ptp))
            Assert.Equal(ptp.GetRawText(), distributed.RootElement.GetProperty("ptp").GetRawText());
        foreach (var stream in single.RootElement.GetProperty("streams").EnumerateArray())
            Assert.True(stream.GetProperty("received").GetInt64() == 0 || stream.GetProperty("latency_ns").TryGetProperty("p999", out _), "a stream without p99.9");
        // The Markdown reports say what their JSON reports say, so they agree with each other too.
        MarkdownReportAssert.AgreesWithJson(File.ReadAllText(runMarkdown), single.RootElement);
        MarkdownReportAssert.AgreesWithJson(File.ReadAllText(upMarkdown), distributed.RootElement);
        Assert.Equal(single.RootElement.GetProperty("ports").GetRawText(), distributed.RootElement.GetProperty("ports").GetRawText());
        // The per-frame log itself, gathered from every process, is the single-process one byte for byte.
        Assert.Equal(File.ReadAllText(runLog), File.ReadAllText(upLog));
        Assert.True(File.ReadAllLines(upLog).Length > 1);
        // The table printed at the end is the same one, digest included.
        Assert.Contains($"frames_digest {single.RootElement.GetProperty("frames_digest").GetString()}", up.Stdout);
    }

    [Fact]
    public void GroupingNodesIntoFewerProcessesGivesTheSameDigest()
    {
        var path = Path.Combine(RepositoryFiles.Root, "topologies", "campus.yaml");
        var runReport = CliProcess.TempFile("", ".json");
        var upReport = CliProcess.TempFile("", ".json");
        Assert.Equal(0, CliProcess.Run("run", path, "--report", runReport, "--seed", "99").ExitCode);
        var up = CliProcess.Run("up", path, "--report", upReport, "--seed", "99", "--quiet", "--partition", "a1,a2,acc-a", "--partition", "core,b2");
        Assert.True(up.ExitCode == 0, up.Stderr);
        using var single = JsonDocument.Parse(File.ReadAllText(runReport));
        using var distributed = JsonDocument.Parse(File.ReadAllText(upReport));
        Assert.Equal(single.RootElement.GetProperty("frames_digest").GetString(), distributed.RootElement.GetProperty("frames_digest").GetString());
    }
}
