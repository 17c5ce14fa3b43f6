using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using TsnSim.Hosting;
using TsnSim.Protos.Report;
using TsnSim.Tests.Support;
using TsnSim.Tests.Topology;

namespace TsnSim.Tests.Distributed;

/// <summary>
/// The coordinator's Report service during and at the end of a distributed run: what it says
/// agrees with the report file the coordinator writes and with the same run in one process.
/// </summary>
[Collection(ProcessTests.Collection)]
public class ReportServiceTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly string Line = Path.Combine(RepositoryFiles.Root, "topologies", "line.yaml");

    [Fact]
    public async Task SnapshotsFollowTheRunAndTheLastIsTheFinalReport()
    {
        var ports = SpawnedProcess.FreePorts(6);
        var report = CliProcess.TempFile("", ".json");
        var markdown = CliProcess.TempFile("", ".md");
        using var coordinator = SpawnedProcess.Coordinator("--topology", Line, "--listen", $"127.0.0.1:{ports[0]}", "--report", report,
            "--report-md", markdown, "--duration", "200ms", "--start-timeout", "60s");
        Assert.True(coordinator.WaitForOutput("listening on", Patience), coordinator.Stderr);
        using var channel = GrpcEndpoints.Channel(new Uri($"http://127.0.0.1:{ports[0]}"));
        var client = new Report.ReportClient(channel);

        // Before any node has come, the run is alive and nothing is counted yet.
        var early = await client.GetReportAsync(new GetReportRequest());
        Assert.False(early.Complete);
        Assert.False(early.Ended);
        Assert.All(early.Streams, s => Assert.Equal(0, s.Sent));
        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var bad = client.WatchReport(new WatchReportRequest { Interval = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(1)) });
            await bad.ResponseStream.MoveNext();
        });
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.StartsWith("interval:", refused.Status.Detail);

        using var watch = client.WatchReport(new WatchReportRequest { Interval = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(50)) });
        var nodes = SpawnedProcess.Nodes(Line, ["h1", "sw1", "sw2", "sw3", "h2"], ports);
        try
        {
            var snapshots = new List<ReportSnapshot>();
            while (await watch.ResponseStream.MoveNext()) snapshots.Add(watch.ResponseStream.Current);
            Assert.True(coordinator.WaitForExit(Patience), "the coordinator did not finish");
            Assert.True(coordinator.ExitCode == 0, coordinator.Stderr);

            var last = snapshots[^1];
            Assert.True(last.Ended && last.Complete, "the last snapshot is not the complete one");
            Assert.Single(snapshots, s => s.Ended);
            // Figures only grow while the run goes on.
            foreach (var (before, after) in snapshots.Zip(snapshots.Skip(1)))
                Assert.All(before.Streams.Zip(after.Streams), p => Assert.True(p.First.Received <= p.Second.Received));
            Assert.Equal(200_000_000_000, last.DurationPs);
            Assert.True(last.VirtualTimePs >= last.DurationPs, $"reached {last.VirtualTimePs} ps");

            // The final snapshot is the report file, word for word, and its figures are the file's.
            var file = File.ReadAllText(report);
            Assert.Equal(file, last.ReportJson);
            using var json = JsonDocument.Parse(file);
            AssertFiguresMatch(json.RootElement, last);
            MarkdownReportAssert.AgreesWithJson(File.ReadAllText(markdown), json.RootElement);

            // And they are those of the same run in one process.
            var single = CliProcess.TempFile("", ".json");
            Assert.Equal(0, CliProcess.Run("run", Line, "--duration", "200ms", "--report", single).ExitCode);
            using var singleJson = JsonDocument.Parse(File.ReadAllText(single));
            AssertFiguresMatch(singleJson.RootElement, last);
            Assert.Equal(singleJson.RootElement.GetProperty("frames_digest").GetString(), last.FramesDigest);
        }
        finally
        {
            foreach (var node in nodes.Values) node.Dispose();
        }
    }

    private static void AssertFiguresMatch(JsonElement report, ReportSnapshot snapshot)
    {
        var streams = report.GetProperty("streams").EnumerateArray().ToList();
        Assert.Equal(streams.Count, snapshot.Streams.Count);
        foreach (var (json, figures) in streams.Zip(snapshot.Streams))
        {
            Assert.Equal(json.GetProperty("name").GetString(), figures.Name);
            Assert.Equal(json.GetProperty("sent").GetInt64(), figures.Sent);
            Assert.Equal(json.GetProperty("received").GetInt64(), figures.Received);
            Assert.Equal(json.GetProperty("lost").GetInt64(), figures.Lost);
            Assert.Equal(json.GetProperty("deadline_misses").GetInt64(), figures.DeadlineMisses);
            var latency = json.GetProperty("latency_ns");
            Assert.Equal(
                new[] { "min", "mean", "p50", "p99", "p999", "max" }.Select(p => latency.GetProperty(p).GetDouble()).Append(json.GetProperty("jitter_ns").GetDouble()),
                new[] { figures.Latency.MinNs, figures.Latency.MeanNs, figures.Latency.P50Ns, figures.Latency.P99Ns, figures.Latency.P999Ns, figures.Latency.MaxNs, figures.Latency.JitterNs });
        }
    }
}
