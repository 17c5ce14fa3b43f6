using System.CommandLine;
using System.Globalization;
using TsnSim.Cli.Launch;
using TsnSim.Core.Simulation;
using TsnSim.Core.Telemetry;
using TsnSim.Core.Time;
using TsnSim.Core.Topology;
using TsnSim.Hosting;
using TsnSim.Hosting.Tracing;

namespace TsnSim.Cli.Commands;

/// <summary>
/// <c>tsnsim bench</c>: the reference workloads, in one process (<c>--mode run</c>) or one
/// process per node (<c>--mode up</c>). In run mode the first, cold run is printed but not
/// counted: it pays for the JIT's tiering, which a long simulation pays once. Figures are
/// medians of the measured runs. In up mode the time is the coordinator's, from the start
/// command to the last node's end: process start-up is not counted.
/// </summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var mode = new Option<string>("--mode") { Description = "run (one process) or up (one process per node)", DefaultValueFactory = _ => "run" };
        mode.AcceptOnlyFromAmong("run", "up");
        var repeat = new Option<int>("--repeat") { Description = "Measured runs; the median is printed", DefaultValueFactory = _ => 3 };
        var window = new Option<string?>("--window") { Description = "Up mode: how far (virtual time) a process may run ahead of its receivers" };

        var nodes = new Option<int>("--nodes") { Description = "Nodes in the chain (hosts at both ends)", DefaultValueFactory = _ => 8 };
        var frames = new Option<int>("--frames") { Description = "Frames the first node sends", DefaultValueFactory = _ => 200_000 };
        var size = new Option<int>("--size") { Description = "Frame size in bytes, FCS included (64..9216)", DefaultValueFactory = _ => 1500 };
        var rate = new Option<string>("--rate") { Description = "Link rate", DefaultValueFactory = _ => "1Gbps" };
        var delay = new Option<string>("--delay") { Description = "Link propagation delay", DefaultValueFactory = _ => "1us" };
        var classes = new Option<int>("--classes") { Description = "Traffic classes on every port, with an active 802.1Qbv schedule (0: a plain FIFO)", DefaultValueFactory = _ => 0 };
        var line = new Command("line", "Chain of N nodes on 1 Gb/s links; the first sends M frames at line rate, the last counts them")
        {
            nodes, frames, size, rate, delay, classes, mode, repeat, window,
        };
        line.SetAction(async (parse, cancel) =>
        {
            int n = parse.GetValue(nodes), m = parse.GetValue(frames), s = parse.GetValue(size);
            if (n < 2) throw new UserInputException($"--nodes: {n} is too few; a chain needs at least 2 nodes");
            OptionValues.Positive(m, "--frames");
            if (s is < 64 or > 9216) throw new UserInputException($"--size: {s} is out of range; expected a frame size from 64 to 9216 bytes");
            int tc = parse.GetValue(classes);
            if (tc is < 0 or > 16) throw new UserInputException($"--classes: {tc} is out of range; expected 0 (no classes) to 16");
            var yaml = ReferenceTopologies.Chain(n, m, s, OptionValues.Rate(parse.GetValue(rate)!, "--rate"), OptionValues.Duration(parse.GetValue(delay), "--delay")!.Value, tc);
            var reports = await MeasureAsync(yaml, "chain", parse.GetValue(mode)!, OptionValues.Positive(parse.GetValue(repeat), "--repeat"), parse.GetValue(window), cancel);
            var median = Median(reports.Select(r => r.Hops / r.WallSeconds));
            Console.Out.WriteLine(Invariant($"nodes={n} frames={m} size={s} classes={tc} mode={parse.GetValue(mode)} median of {reports.Count} frame_hops_per_s={median:0}"));
            return ExitCodes.Success;
        });

        var duration = new Option<string>("--duration") { Description = "Virtual time to simulate", DefaultValueFactory = _ => "10s" };
        var sparse = new Command("sparse", "Four bridges with a host each; every host sends 128 B per ms to the far end")
        {
            duration, mode, repeat, window,
        };
        sparse.SetAction(async (parse, cancel) =>
        {
            var yaml = ReferenceTopologies.Sparse(OptionValues.Duration(parse.GetValue(duration), "--duration")!.Value);
            var reports = await MeasureAsync(yaml, "sparse", parse.GetValue(mode)!, OptionValues.Positive(parse.GetValue(repeat), "--repeat"), parse.GetValue(window), cancel);
            var median = Median(reports.Select(r => r.DurationNs / 1e9 / r.WallSeconds));
            Console.Out.WriteLine(Invariant($"sparse mode={parse.GetValue(mode)} median of {reports.Count} virtual_seconds_per_wall_second={median:0.###}"));
            return ExitCodes.Success;
        });
        var rounds = new Option<int>("--rounds") { Description = "Round trips to time", DefaultValueFactory = _ => 5000 };
        var grpc = new Command("grpc", "Round trips through a node process on loopback: the transport's one-way latency") { rounds };
        grpc.SetAction(async (parse, cancel) =>
        {
            var path = Path.Combine(Path.GetTempPath(), $"tsnsim-bench-grpc-{Environment.ProcessId}.yaml");
            await File.WriteAllTextAsync(path, ReferenceTopologies.Chain(2, 1, 64, DataRate.FromGigabits(1), SimTime.FromMicroseconds(1)), cancel);
            try
            {
                return await GrpcBench.RunAsync(path, "h0", OptionValues.Positive(parse.GetValue(rounds), "--rounds"), cancel);
            }
            finally
            {
                File.Delete(path);
            }
        });
        var traced = new Command("trace", "The chain with a 1 kHz probe stream, run with every probe frame traced (OTLP/JSON files) and untraced, alternately")
        {
            nodes, frames, size, repeat,
        };
        traced.SetAction(parse =>
        {
            int n = parse.GetValue(nodes), m = parse.GetValue(frames), s = parse.GetValue(size);
            if (n < 2) throw new UserInputException($"--nodes: {n} is too few; a chain needs at least 2 nodes");
            var topology = ReferenceTopologies.Load(ReferenceTopologies.ChainWithTracedProbe(n, OptionValues.Positive(m, "--frames"), s, DataRate.FromGigabits(1), SimTime.FromMicroseconds(1)), "chain-probe");
            var directory = Path.Combine(Path.GetTempPath(), $"tsnsim-bench-trace-{Environment.ProcessId}");
            try
            {
                RunTraced(topology, directory);
                var plain = new List<double>();
                var withTraces = new List<double>();
                for (int i = 0; i < OptionValues.Positive(parse.GetValue(repeat), "--repeat"); i++)
                {
                    var untraced = Run(topology);
                    var (tracedRun, tracedSeconds) = RunTraced(topology, directory);
                    if (untraced.FramesDigest != tracedRun.FramesDigest) throw new InvalidOperationException("tracing changed the run's digest");
                    plain.Add(untraced.WallSeconds);
                    withTraces.Add(tracedSeconds);
                    Console.Out.WriteLine(Invariant($"round {i + 1}: untraced {untraced.WallSeconds:0.000} s, traced {tracedSeconds:0.000} s ({tracedSeconds / untraced.WallSeconds:0.000}x; the run alone {tracedRun.WallSeconds:0.000} s), {untraced.Hops} frame-hops"));
                }
                var ratios = plain.Zip(withTraces, (a, b) => b / a);
                Console.Out.WriteLine(Invariant($"median of {plain.Count}: untraced {Median(plain):0.000} s, traced {Median(withTraces):0.000} s, traced_over_untraced={Median(ratios):0.000}"));
            }
            finally
            {
                if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
            }
            return ExitCodes.Success;
        });
        return new Command("bench", "Reference workloads for speed") { line, sparse, grpc, traced };
    }

    private static async Task<List<RunReport>> MeasureAsync(string yaml, string name, string mode, int runs, string? window, CancellationToken cancel)
    {
        if (window is not null) OptionValues.Duration(window, "--window");
        var path = Path.Combine(Path.GetTempPath(), $"tsnsim-bench-{name}-{Environment.ProcessId}.yaml");
        await File.WriteAllTextAsync(path, yaml, cancel);
        try
        {
            var topology = ReferenceTopologies.Load(yaml, path);
            if (mode == "run")
            {
                var cold = Run(topology);
                Console.Out.WriteLine(Invariant($"cold run (not counted): {cold.Hops} frame-hops in {cold.WallSeconds:0.000} s"));
            }
            var reports = new List<RunReport>();
            for (int i = 0; i < runs; i++)
            {
                var report = mode == "run" ? Run(topology) : await UpAsync(topology, path, window, cancel);
                // A fast run that lost frames would be a wrong run: refuse to print a speed for it.
                if (report.Streams.Sum(s => s.Lost) is var lost and > 0)
                    throw new InvalidOperationException($"the benchmark lost {lost} frames; its figures are invalid");
                Console.Out.WriteLine(Invariant($"run {i + 1}: {report.Hops} frame-hops, {report.DurationNs / 1e6:0.###} ms virtual in {report.WallSeconds:0.000} s, digest {report.FramesDigest[..16]}"));
                if (report.Sync is { } sync)
                    Console.Out.WriteLine(Invariant(
                        $"  sync: {sync.Messages} messages, {sync.RemoteFrames} frames ({(double)sync.RemoteFrames / Math.Max(1, sync.Messages):0.00} a message), {sync.Promises} promises ({(double)sync.Promises / Math.Max(1, sync.RemoteFrames):0.00} a frame), {sync.Horizons} horizons, {sync.Waits} waits"));
                reports.Add(report);
            }
            return reports;
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// A run that traces what its topology asks for into OTLP/JSON files, timed until the last
    /// span is in its file: the whole export path is paid for, not only the simulation's share.
    /// </summary>
    private static (RunReport Report, double Seconds) RunTraced(TopologyConfig topology, string directory)
    {
        var telemetry = OpenTelemetrySession.Start(new TraceSettings(false, false, directory, null, null), topology, "run", Guid.NewGuid().ToString("N"), DateTime.UtcNow);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var report = SingleProcessRun.Execute(topology, new RunSettings(topology.Seed, topology.Duration!.Value, topology.Drain) { Tracer = telemetry.Tracer });
        telemetry.Dispose();
        return (report, clock.Elapsed.TotalSeconds);
    }

    private static RunReport Run(TopologyConfig topology) =>
        SingleProcessRun.Execute(topology, new RunSettings(topology.Seed, topology.Duration!.Value, topology.Drain));

    private static async Task<RunReport> UpAsync(TopologyConfig topology, string path, string? window, CancellationToken cancel)
    {
        var reportPath = Path.ChangeExtension(path, ".json");
        var launcher = new LocalLauncher(topology, path, Console.Out, Console.Error);
        int code = await launcher.RunAsync(new LocalLauncher.Options(null, null, reportPath, [], window, Quiet: true), cancel);
        var report = File.Exists(reportPath) ? RunReport.FromJson(await File.ReadAllTextAsync(reportPath, cancel)) : null;
        File.Delete(reportPath);
        if (code != ExitCodes.Success || report is null) throw new InvalidOperationException("the distributed run failed; see the messages above");
        return report;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
