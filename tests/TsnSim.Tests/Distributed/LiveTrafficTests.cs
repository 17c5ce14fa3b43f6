using System.Diagnostics;
using Grpc.Core;
using TsnSim.Hosting;
using TsnSim.Protos.Traffic;
using TsnSim.Tests.Support;

namespace TsnSim.Tests.Distributed;

/// <summary>
/// Live traffic end to end: <c>tsnsim up</c> runs paced, a client (the <c>tsnsim inject</c>
/// command, the Python example) reaches every node through the coordinator's address alone,
/// and what it injects shows in the frame log at the times the wire's timing model gives.
/// </summary>
[Collection(ProcessTests.Collection)]
public class LiveTrafficTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    // Two links of different rates and delays, so a wrong term in either hop shows.
    private const string TwoHostsOneBridge = """
        name: live
        nodes:
          h1: { kind: host, ports: 1 }
          sw1: { kind: switch, ports: 2, processing: 3us }
          h2: { kind: host, ports: 1 }
        links:
          - { endpoints: ["h1:eth0", "sw1:eth0"], rate: 1Gbps, delay: 1us }
          - { endpoints: ["sw1:eth1", "h2:eth0"], rate: 100Mbps, delay: 2us }

        """;

    private const string TwoTalkers = TwoHostsOneBridge + """
        streams:
          - { name: east, talker: h1, listeners: [h2], period: 1ms, size: 128 }
          - { name: west, talker: h2, listeners: [h1], period: 1ms, size: 256, pcp: 3 }

        """;

    /// <summary>A running <c>tsnsim up</c> and the coordinator address it printed.</summary>
    private sealed class LiveUp : IDisposable
    {
        public LiveUp(string topology, params string[] options)
        {
            Process = new SpawnedProcess("tsnsim.dll", ["up", topology, .. options]);
            const string announce = "tsnsim up: coordinator at ";
            Assert.True(Process.WaitForOutput(announce, Patience), Process.Stdout + Process.Stderr);
            Address = Process.Stdout.Split('\n').First(l => l.StartsWith(announce, StringComparison.Ordinal))[announce.Length..].Split(' ')[0];
            WaitUntilEveryNodeRegistered();
        }

        public SpawnedProcess Process { get; }
        public string Address { get; }

        /// <summary>The coordinator answers UNAVAILABLE until every node process has registered.</summary>
        private void WaitUntilEveryNodeRegistered()
        {
            using var channel = GrpcEndpoints.Channel(new Uri(Address));
            var client = new TrafficService.TrafficServiceClient(channel);
            var clock = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    client.ListStreams(new ListStreamsRequest(), deadline: DateTime.UtcNow.AddSeconds(10));
                    return;
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && clock.Elapsed < Patience && !Process.HasExited)
                {
                    Thread.Sleep(100);
                }
            }
        }

        public CliProcess.Result Inject(params string[] arguments) => CliProcess.Run(["inject", "--address", Address, .. arguments]);

        public void Dispose() => Process.Dispose();
    }

    /// <summary>The <c>key=value</c> pairs of the lines a client printed, in order.</summary>
    private static List<Dictionary<string, string>> Lines(string stdout) =>
        stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ').Where(w => w.Contains('=')).Select(w => w.Split('=', 2)).ToDictionary(p => p[0], p => p[1]))
            .ToList();

    [Fact]
    public void AFrameInjectedAtAnAbsoluteTimeArrivesAtTheTimesTheWireGives()
    {
        var log = CliProcess.TempFile("", ".csv");
        long at;
        string frameId;
        // 5 s into a paced run: later than a loaded machine takes to start the run and the inject command.
        using (var up = new LiveUp(CliProcess.TempFile(TwoHostsOneBridge), "--duration", "7s", "--pace", "1", "--frame-log", log, "--quiet"))
        {
            var sent = up.Inject("frames", "h1", "--to", "h2", "--size", "200", "--at", "5s");
            Assert.True(sent.ExitCode == 0, sent.Stderr);
            var reply = Lines(sent.Stdout);
            at = 5 * 1_000_000_000_000L;
            Assert.Equal("5s", reply[0]["effective"]);
            Assert.Equal(at.ToString(), reply[1]["effective_ps"]);
            frameId = Assert.Single(reply.Skip(2))["frame_id"];
            Assert.True(up.Process.WaitForExit(Patience), "the run did not end");
            Assert.True(up.Process.ExitCode == 0, up.Process.Stderr);
        }
        var hops = File.ReadAllLines(log).Skip(1).Select(l => l.Split(',')).Where(f => f[0] == frameId).ToList();
        Assert.Equal(2, hops.Count);
        // docs/architecture.md: a frame of L bytes (FCS included) started at t has its last bit at
        // the far end at t + (L + 8 preamble bytes) × 8 / rate + propagation; a bridge starts it
        // again its processing delay after that, its egress being idle.
        const long size = 200, preamble = 8;
        long firstStart = at, firstArrival = firstStart + (size + preamble) * 8 * 1_000 + 1_000_000;         // 1 Gb/s: 1 ns a bit; 1 us
        long secondStart = firstArrival + 3_000_000, secondArrival = secondStart + (size + preamble) * 8 * 10_000 + 2_000_000; // 3 us; 100 Mb/s; 2 us
        Assert.Equal(["h1:eth0", "sw1:eth0", firstStart.ToString(), firstArrival.ToString()], hops[0][3..7]);
        Assert.Equal(["sw1:eth1", "h2:eth0", secondStart.ToString(), secondArrival.ToString()], hops[1][3..7]);
    }

    [Fact]
    public void ListingStreamsThroughTheCoordinatorGathersEveryHost()
    {
        using var up = new LiveUp(CliProcess.TempFile(TwoTalkers), "--duration", "1000s", "--pace", "1", "--quiet");
        var started = up.Inject("stream", "start", "h1", "--to", "h2", "--period", "500us", "--size", "100", "--pcp", "5");
        Assert.True(started.ExitCode == 0, started.Stderr);
        var start = Lines(started.Stdout);
        string name = start.Single(l => l.ContainsKey("name"))["name"];
        Assert.Matches("^h1-inj-[0-9]+$", name);
        string index = start.Single(l => l.ContainsKey("stream"))["stream"];

        var every = up.Inject("streams");
        Assert.True(every.ExitCode == 0, every.Stderr);
        var streams = Lines(every.Stdout).Where(l => l.ContainsKey("stream")).ToList();
        // Topology streams are numbered in file order; live ones above them, in a range of their own.
        Assert.Equal(["0 east h1 topology", "1 west h2 topology", $"{index} {name} h1 injected"], streams.Select(s => $"{s["stream"]} {s["name"]} {s["talker"]} {s["origin"]}"));
        Assert.Equal(["1ms", "1ms", "500us"], streams.Select(s => s["period"]));
        Assert.Equal(["128", "256", "100"], streams.Select(s => s["size"]));

        var h2 = up.Inject("streams", "h2");
        Assert.True(h2.ExitCode == 0, h2.Stderr);
        Assert.Equal(["west"], Lines(h2.Stdout).Where(l => l.ContainsKey("stream")).Select(s => s["name"]));
    }

    [PythonGrpcFact]
    public void ThePythonExampleInjectsAndRunsAStreamThroughTheCoordinator()
    {
        var stubs = Path.Combine(Path.GetTempPath(), $"tsnsim-py-{Guid.NewGuid():N}");
        var generated = PythonGrpc.Run("bash", Path.Combine(PythonGrpc.Examples, "generate.sh"), stubs);
        Assert.True(generated.Code == 0, generated.Stderr);
        using var up = new LiveUp(CliProcess.TempFile(TwoTalkers), "--duration", "1000s", "--pace", "1", "--quiet");
        // A period long against a client's round trips, so the stop arrives before its time at 1× pacing.
        var run = PythonGrpc.Run(PythonGrpc.Python!, Path.Combine(PythonGrpc.Examples, "inject.py"), "--address", up.Address, "--stubs", stubs,
            "--sender", "h1", "--to", "h2", "--at", "3s", "--period", "200ms", "--run-for", "2100ms");
        Assert.True(run.Code == 0, run.Stderr + run.Stdout);
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', 2)).ToList();
        var reply = lines.GroupBy(l => l[0]).ToDictionary(g => g.Key, g => Lines(g.First()[1])[0], StringComparer.Ordinal);
        Assert.Equal("3000000000000", reply["inject_frames"]["effective_ps"]);
        long start = long.Parse(reply["start_stream"]["effective_ps"]);
        Assert.Contains(lines, l => l[0] == "list_streams" && l[1].Contains($"name={reply["start_stream"]["name"]} talker=h1 origin=injected"));
        Assert.Equal((start + 2_100_000_000_000).ToString(), reply["stop_stream"]["effective_ps"]);
        // Frames at start, start + 200 ms, ... start + 2 s: eleven before the stop at 10.5 periods.
        Assert.Equal(("false", "11"), (reply["stopped"]["running"], reply["stopped"]["sent"]));
    }
}
