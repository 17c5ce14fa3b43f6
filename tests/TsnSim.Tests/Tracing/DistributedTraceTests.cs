using System.Globalization;
using TsnSim.Hosting.Tracing;
using TsnSim.Tests.Support;
using TsnSim.Tests.Topology;

namespace TsnSim.Tests.Tracing;

/// <summary>
/// Frame traces of a distributed run: each node process writes its own spans, the W3C trace
/// context travels with the frame in the link messages, so one frame's spans from every process
/// it crossed form one trace — and the spans say what the single-process run's spans say.
/// </summary>
[Collection(ProcessTests.Collection)]
public class DistributedTraceTests
{
    [Fact]
    public void OneFramesSpansFromEveryProcessShareATraceAndMatchTheSingleProcessRun()
    {
        var line = RepositoryFiles.Topology("line.yaml");
        var upDirectory = Path.Combine(Path.GetTempPath(), $"tsnsim-test-{Guid.NewGuid():N}");
        var runDirectory = Path.Combine(Path.GetTempPath(), $"tsnsim-test-{Guid.NewGuid():N}");
        var up = CliProcess.Run("up", line, "--quiet", "--trace-dir", upDirectory, "--trace", "none");
        Assert.True(up.ExitCode == 0, up.Stderr + up.Stdout);
        var run = CliProcess.Run("run", line, "--trace-dir", runDirectory);
        Assert.True(run.ExitCode == 0, run.Stderr);

        // One file per process: five node processes.
        Assert.Equal(["h1.jsonl", "h2.jsonl", "sw1.jsonl", "sw2.jsonl", "sw3.jsonl"],
            Directory.GetFiles(upDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var distributed = TraceFileReader.ReadAll(upDirectory);
        foreach (var frame in distributed.GroupBy(s => s[TraceAttributes.FrameId]))
        {
            var spans = frame.ToList();
            Assert.Equal(5, spans.Select(s => s.File).Distinct().Count());
            Assert.Single(spans.Select(s => s.TraceId).Distinct());
            // Every span but the talker's has its parent in another process's file.
            var byId = spans.ToDictionary(s => s.SpanId);
            foreach (var span in spans.Where(s => s.ParentSpanId is not null))
                Assert.NotEqual(span.File, byId[span.ParentSpanId!].File);
            Assert.Single(spans, s => s.ParentSpanId is null);
        }

        // Ids are random, everything else comes from virtual time: the same spans in either layout.
        var single = TraceFileReader.ReadAll(runDirectory);
        Assert.Equal(Describe(single), Describe(distributed));
        Assert.True(single.Count > 500);

        // Two runs' files in one directory: the same frame twice is refused, not silently mixed.
        File.Copy(Path.Combine(runDirectory, "run.jsonl"), Path.Combine(upDirectory, "run.jsonl"));
        var mixed = CliProcess.Run("trace", upDirectory, "--stream", "control", "--seq", "1");
        Assert.Equal(2, mixed.ExitCode);
        Assert.Contains("was traced by 2 runs", mixed.Stderr);
    }

    [Fact]
    public void TraceCommandPrintsTheHopsOfTheFrameLog()
    {
        var line = RepositoryFiles.Topology("line.yaml");
        var directory = Path.Combine(Path.GetTempPath(), $"tsnsim-test-{Guid.NewGuid():N}");
        var log = CliProcess.TempFile("", ".csv");
        var run = CliProcess.Run("run", line, "--trace-dir", directory, "--frame-log", log);
        Assert.True(run.ExitCode == 0, run.Stderr);
        var hops = File.ReadLines(log).Skip(1).Select(l => l.Split(',')).Where(f => f[1] == "control" && f[2] == "7").ToList();
        Assert.Equal(4, hops.Count);

        var trace = CliProcess.Run("trace", directory, "--stream", "control", "--seq", "7");
        Assert.True(trace.ExitCode == 0, trace.Stderr);
        Assert.Contains($"frame {hops[0][0]}  stream control  sequence 7", trace.Stdout);
        // Every transmission start and every arrival of the frame log, in nanoseconds, appears in the timeline.
        var lines = trace.Stdout.Split('\n');
        foreach (var hop in hops)
        {
            long start = long.Parse(hop[5], CultureInfo.InvariantCulture) / 1000, arrival = long.Parse(hop[6], CultureInfo.InvariantCulture) / 1000;
            Assert.Contains(lines, l => l.Contains($" {start}  transmission start", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains($" {arrival}  received", StringComparison.Ordinal));
        }
        var byId = CliProcess.Run("trace", directory, "--frame", hops[0][0]);
        Assert.Equal(trace.Stdout, byId.Stdout);

        // A file cut off while being written: its incomplete last line is skipped, said so, and the rest is read.
        var file = Path.Combine(directory, "run.jsonl");
        var first = File.ReadLines(file).First();
        File.AppendAllText(file, first[..(first.Length / 2)]);
        var cut = CliProcess.Run("trace", directory, "--stream", "control", "--seq", "7");
        Assert.Equal(0, cut.ExitCode);
        Assert.Equal(trace.Stdout, cut.Stdout);
        Assert.Contains("incomplete last line skipped", cut.Stderr);

        var missing = CliProcess.Run("trace", directory, "--stream", "bulk", "--seq", "3");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("frame 3 of stream 'bulk' was not traced; its traced sequences are 0, 10, 20", missing.Stderr);
        Assert.DoesNotContain("   at ", missing.Stderr);
    }

    [Theory]
    [InlineData("--trace-streams", "contrl", "--trace-streams: no stream 'contrl' in topology line (did you mean 'control'?)")]
    [InlineData("--trace", "jaeger", "--trace: unknown exporter 'jaeger'; expected console, otlp or none")]
    [InlineData("--trace-epoch", "yesterday", "--trace-epoch: 'yesterday' is not an instant; expected ISO 8601")]
    [InlineData("--trace-epoch", "2300-01-01T00:00:00Z", "--trace-epoch: 2300-01-01T00:00:00.0000000Z is out of range")]
    [InlineData("--trace-streams", "sw1/app", "--trace-streams: no stream 'sw1/app'")]
    public void BadTraceOptionsAreRefusedByName(string option, string value, string message)
    {
        var line = RepositoryFiles.Topology("line.yaml");
        foreach (var command in new[] { "run", "up" })
        {
            var result = CliProcess.Run(command, line, option, value);
            Assert.Equal(2, result.ExitCode);
            Assert.Contains(message, result.Stderr);
            Assert.DoesNotContain("   at ", result.Stderr);
        }
    }

    [Fact]
    public void AnUnwritableTraceDirectoryStopsTheRunBeforeItStarts()
    {
        var line = RepositoryFiles.Topology("line.yaml");
        var notADirectory = CliProcess.TempFile("a file, not a directory", ".txt");
        foreach (var command in new[] { "run", "up" })
        {
            var result = CliProcess.Run(command, line, "--trace-dir", Path.Combine(notADirectory, "traces"));
            Assert.Equal(2, result.ExitCode);
            Assert.Contains("--trace-dir: cannot write to", result.Stderr);
            Assert.DoesNotContain("   at ", result.Stderr);
            Assert.DoesNotContain("frames_digest", result.Stdout);
        }
    }

    /// <summary>Each span as its identity and every attribute that comes from the simulation, sorted.</summary>
    private static List<string> Describe(IReadOnlyList<RecordedSpan> spans) =>
        spans.Select(s => string.Join("|", s.Name, string.Join(",", s.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value}")),
                string.Join(",", s.Events.Select(e => $"{e.Name}@{FrameTimeline.TimeOf(s, e)}"))))
            .Order(StringComparer.Ordinal).ToList();
}
