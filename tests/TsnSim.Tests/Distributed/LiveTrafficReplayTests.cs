using System.Text.Json;
using Grpc.Core;
using TsnSim.Hosting;
using TsnSim.Protos.Traffic;
using TsnSim.Tests.Support;
using TsnSim.Tests.Topology;

namespace TsnSim.Tests.Distributed;

/// <summary>
/// A paced distributed run takes live traffic over gRPC, records what it accepted, and a
/// single-process replay of that record is the same run: the same frames_digest.
/// </summary>
[Collection(ProcessTests.Collection)]
public class LiveTrafficReplayTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly string Line = Path.Combine(RepositoryFiles.Root, "topologies", "line.yaml");
    private static readonly string[] LineNodes = ["h1", "sw1", "sw2", "sw3", "h2"];

    [Fact]
    public async Task InjectionsIntoAPacedUpRunReplayToTheSameDigest()
    {
        var ports = SpawnedProcess.FreePorts(LineNodes.Length + 1);
        var report = CliProcess.TempFile("", ".json");
        var injections = CliProcess.TempFile("", ".jsonl");
        File.Delete(injections);
        using var coordinator = SpawnedProcess.Coordinator("--topology", Line, "--listen", $"127.0.0.1:{ports[0]}", "--report", report,
            "--duration", "6s", "--pace", "1", "--injections", injections);
        var nodes = LineNodes.Select((n, i) => SpawnedProcess.Node("--topology", Line, "--node", n, "--coordinator", $"http://127.0.0.1:{ports[0]}",
            "--listen", $"127.0.0.1:{ports[i + 1]}", "--advertise", $"http://127.0.0.1:{ports[i + 1]}")).ToList();
        try
        {
            Assert.True(coordinator.WaitForOutput("starting run", Patience), coordinator.Stdout + coordinator.Stderr);
            using var h1 = GrpcEndpoints.Channel(new Uri($"http://127.0.0.1:{ports[1]}"));
            using var h2 = GrpcEndpoints.Channel(new Uri($"http://127.0.0.1:{ports[5]}"));
            var toH2 = new TrafficService.TrafficServiceClient(h1);
            var toH1 = new TrafficService.TrafficServiceClient(h2);

            var asap = await RetryWhileStartingAsync(() => toH2.InjectFramesAsync(new InjectFramesRequest
            {
                Node = "h1", Frames = { new FrameSpec { Described = new DescribedFrame { DestinationNode = "h2", Pcp = 7, Vlan = 10, PayloadSize = 64, Application = "probe" } } },
            }).ResponseAsync);
            Assert.Single(asap.FrameIds);
            // A later absolute time is taken as given; a delay counts from the node's present.
            var (later, absolute) = await InjectAheadAsync(toH2, new InjectFramesRequest
            {
                Node = "h1",
                Frames = { new FrameSpec { Described = new DescribedFrame { DestinationNode = "h2", PayloadSize = 500 } }, new FrameSpec { Described = new DescribedFrame { DestinationNode = "h2", PayloadSize = 500 } } },
            });
            Assert.Equal(later, absolute.EffectivePs);
            var started = await toH1.StartStreamAsync(new StartStreamRequest
            {
                Node = "h2", Name = "reverse", PeriodPs = 1_000_000_000, Size = 200, DestinationNode = "h1", When = new When { AfterPs = 10_000_000_000 },
            });
            Assert.Equal("reverse", started.Name);
            // 300 ms after the start, or further when a loaded machine has let the paced run pass that already
            // (asking again, as InjectAheadAsync does, when the run passed even that before the request arrived).
            StopStreamReply? stopped = null;
            long stopAt = 0;
            for (int attempt = 0; stopped is null; attempt++)
            {
                long present = (await toH1.ListStreamsAsync(new ListStreamsRequest { Node = "h2" })).EffectivePs;
                // The listing's time is what has run; the live input's promise may be ahead of it, so ask further ahead each time.
                stopAt = Math.Max(started.EffectivePs + 300_000_000_000, present + (200_000_000_000L << attempt));
                try
                {
                    stopped = await toH1.StopStreamAsync(new StopStreamRequest { Node = "h2", Name = "reverse", When = new When { AtPs = stopAt } });
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument && e.Status.Detail.StartsWith("when.at_ps", StringComparison.Ordinal) && attempt < 5)
                {
                }
            }
            Assert.Equal(stopAt, stopped.EffectivePs);
            var listed = await toH1.ListStreamsAsync(new ListStreamsRequest { Node = "h2" });
            Assert.Contains(listed.Streams, s => s.Name == "reverse" && s.Origin == "injected" && s.Talker == "h2");

            // A bad field is named, and the run goes on.
            var bad = await Assert.ThrowsAsync<RpcException>(async () => await toH2.InjectFramesAsync(new InjectFramesRequest
            {
                Node = "h1", Frames = { new FrameSpec { Described = new DescribedFrame { DestinationNode = "h2", Pcp = 8 } } },
            }));
            Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
            Assert.StartsWith("frames[0].described.pcp:", bad.Status.Detail);

            Assert.True(coordinator.WaitForExit(Patience), coordinator.Stdout + coordinator.Stderr);
            Assert.Equal(0, coordinator.ExitCode);
            var upDigest = Digest(report);

            var replayReport = CliProcess.TempFile("", ".json");
            var replay = CliProcess.Run("run", Line, "--replay", injections, "--report", replayReport);
            Assert.True(replay.ExitCode == 0, replay.Stderr);
            Assert.Equal(upDigest, Digest(replayReport));
            // Live streams are in both reports, with the same figures.
            var upStreams = Streams(report);
            Assert.Contains("h1/probe", upStreams.Keys);
            Assert.Contains("h2/reverse", upStreams.Keys);
            Assert.Equal(upStreams, Streams(replayReport));
            // The replay is not the plain run: the injections made a difference.
            var plainReport = CliProcess.TempFile("", ".json");
            Assert.Equal(0, CliProcess.Run("run", Line, "--duration", "6s", "--report", plainReport).ExitCode);
            Assert.NotEqual(Digest(plainReport), upDigest);
        }
        finally
        {
            foreach (var n in nodes) n.Dispose();
        }
    }

    [Fact]
    public async Task ARunWithoutADurationGoesOnUntilInterruptedThenEndsInOrderAndReplays()
    {
        // line.yaml without its duration: the run is paced at 1x and lasts until Ctrl-C.
        var topology = CliProcess.TempFile(string.Join('\n', File.ReadAllLines(Line).Where(l => !l.StartsWith("duration:", StringComparison.Ordinal))));
        var ports = SpawnedProcess.FreePorts(LineNodes.Length + 1);
        var report = CliProcess.TempFile("", ".json");
        var injections = CliProcess.TempFile("", ".jsonl");
        File.Delete(injections);
        using var coordinator = SpawnedProcess.Coordinator("--topology", topology, "--listen", $"127.0.0.1:{ports[0]}", "--report", report, "--injections", injections);
        var nodes = LineNodes.Select((n, i) => SpawnedProcess.Node("--topology", topology, "--node", n, "--coordinator", $"http://127.0.0.1:{ports[0]}",
            "--listen", $"127.0.0.1:{ports[i + 1]}", "--advertise", $"http://127.0.0.1:{ports[i + 1]}")).ToList();
        try
        {
            Assert.True(coordinator.WaitForOutput("until stopped", Patience), coordinator.Stdout + coordinator.Stderr);
            using var h2 = GrpcEndpoints.Channel(new Uri($"http://127.0.0.1:{ports[5]}"));
            var started = await RetryWhileStartingAsync(() => new TrafficService.TrafficServiceClient(h2).StartStreamAsync(new StartStreamRequest
            {
                Node = "h2", Name = "reverse", PeriodPs = 500_000_000, Size = 100, DestinationNode = "h1",
            }).ResponseAsync);
            await Task.Delay(700);
            // Ctrl-C reaches every process of the terminal.
            coordinator.Interrupt();
            foreach (var n in nodes) n.Interrupt();
            Assert.True(coordinator.WaitForExit(Patience), coordinator.Stdout + coordinator.Stderr);
            Assert.True(coordinator.ExitCode == 0, coordinator.Stdout + coordinator.Stderr);
            foreach (var n in nodes) Assert.True(n.WaitForExit(Patience));

            using var json = JsonDocument.Parse(File.ReadAllText(report));
            Assert.True(json.RootElement.GetProperty("complete").GetBoolean());
            long durationPs = (long)(json.RootElement.GetProperty("duration_ns").GetDouble() * 1000);
            // Paced at 1x: it ran about as long in virtual time as it was left running, and past the stream's start.
            Assert.InRange(durationPs, started.EffectivePs + 1, 60L * 1_000_000_000_000);

            var replayReport = CliProcess.TempFile("", ".json");
            var replay = CliProcess.Run("run", topology, "--replay", injections, "--report", replayReport);
            Assert.True(replay.ExitCode == 0, replay.Stderr);
            Assert.Equal(json.RootElement.GetProperty("frames_digest").GetString(), Digest(replayReport));
        }
        finally
        {
            foreach (var n in nodes) n.Dispose();
        }
    }

    /// <summary>
    /// Injects for an absolute time a little ahead of the node's present; a paced run under load
    /// may pass that time before the request arrives (a refusal naming when.at_ps), so ask again,
    /// twice as far ahead each time: the present a node reports for a query that needs no live
    /// input may trail the one it checks an injection against by more than a fixed margin.
    /// </summary>
    private static async Task<(long At, InjectFramesReply Reply)> InjectAheadAsync(TrafficService.TrafficServiceClient client, InjectFramesRequest request)
    {
        for (int attempt = 0; ; attempt++)
        {
            long now = (await client.ListStreamsAsync(new ListStreamsRequest { Node = request.Node })).EffectivePs;
            request.When = new When { AtPs = now + (200L << attempt) * 1_000_000_000L };
            try
            {
                return (request.When.AtPs, await client.InjectFramesAsync(request));
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument && e.Status.Detail.StartsWith("when.at_ps", StringComparison.Ordinal) && attempt < 5)
            {
            }
        }
    }

    private static Dictionary<string, string> Streams(string report)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        return json.RootElement.GetProperty("streams").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetRawText());
    }

    /// <summary>Nodes answer UNAVAILABLE until every process has registered and the run has begun.</summary>
    private static async Task<T> RetryWhileStartingAsync<T>(Func<Task<T>> call)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await call();
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && clock.Elapsed < Patience)
            {
                await Task.Delay(50);
            }
        }
    }

    private static string Digest(string report)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        return json.RootElement.GetProperty("frames_digest").GetString()!;
    }
}
