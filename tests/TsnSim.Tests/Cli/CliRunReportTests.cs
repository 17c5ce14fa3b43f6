using System.Text.Json;
using TsnSim.Tests.Support;

namespace TsnSim.Tests.Cli;

/// <summary><c>tsnsim run</c> end to end: the table, the JSON report with the documented fields, the Markdown report, and the frame log.</summary>
public class CliRunReportTests
{
    [Fact]
    public void RunPrintsTheTableAndWritesTheDocumentedReport()
    {
        var topology = CliProcess.TempFile(CliErrorReportingTests.SmallTopology);
        var reportPath = Path.ChangeExtension(topology, ".json");
        var logPath = Path.ChangeExtension(topology, ".csv");
        var markdownPath = Path.ChangeExtension(topology, ".md");
        var result = CliProcess.Run("run", topology, "--report", reportPath, "--report-md", markdownPath, "--frame-log", logPath, "--seed", "7");
        Assert.Equal(0, result.ExitCode);

        using var json = JsonDocument.Parse(File.ReadAllText(reportPath));
        var root = json.RootElement;
        Assert.Equal("small", root.GetProperty("topology").GetString());
        Assert.Equal(7UL, root.GetProperty("seed").GetUInt64());
        Assert.Equal(1_000_000, root.GetProperty("duration_ns").GetDouble());
        Assert.Equal("run", root.GetProperty("mode").GetString());
        var stream = root.GetProperty("streams")[0];
        // 1 ms / 100 us = 10 frames, first at 0.
        Assert.Equal(10, stream.GetProperty("sent").GetInt64());
        Assert.Equal(10, stream.GetProperty("received").GetInt64());
        Assert.Equal(0, stream.GetProperty("lost").GetInt64());
        // Two hops of (128 + 8) B × 8 ns + 1 us, plus 1 us processing = 5176 ns, above the 5 us deadline.
        foreach (var p in new[] { "min", "mean", "p50", "p99", "p999", "max" })
            Assert.Equal(5176, stream.GetProperty("latency_ns").GetProperty(p).GetDouble());
        Assert.Equal(0, stream.GetProperty("jitter_ns").GetDouble());
        Assert.Equal(10, stream.GetProperty("deadline_misses").GetInt64());
        var digest = root.GetProperty("frames_digest").GetString()!;
        Assert.Contains($"frames_digest {digest}", result.Stdout);
        Assert.Matches(@"control\s+6\s+10\s+10\s+0\s+5\.176", result.Stdout);
        MarkdownReportAssert.AgreesWithJson(File.ReadAllText(markdownPath), root);

        // Header plus two hops for each of the ten frames.
        var log = File.ReadAllLines(logPath);
        Assert.Equal(21, log.Length);
        Assert.Equal("frame_id,stream,sequence,from_port,to_port,tx_start_ps,arrival_ps,gate_wait_ps", log[0]);
        // No gate schedule: no gate wait.
        Assert.EndsWith(",control,0,h1:eth0,sw1:eth0,0,2088000,0", log[1]);
    }
}
