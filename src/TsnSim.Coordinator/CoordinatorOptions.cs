using TsnSim.Core.Time;
using TsnSim.Hosting;
using TsnSim.Hosting.Tracing;

namespace TsnSim.Coordinator;

/// <summary>How the coordinator is configured: flags, else TSNSIM_* environment variables (compose).</summary>
public sealed record CoordinatorOptions(string TopologyPath, string Listen, string? ReportPath, ulong? Seed, SimTime? Duration, TimeSpan StartTimeout, int? ExitWithProcess, string? FrameLogPath)
{
    private static readonly string[] Known = ["topology", "listen", "report", "seed", "duration", "start-timeout", "exit-with", "frame-log", "pace", "injections", "report-md", "trace-streams", "trace-epoch"];

    /// <summary>Virtual time runs at most this many times wall time, and nodes take live traffic; null: as fast as possible.</summary>
    public double? Pace { get; init; }

    /// <summary>Where the accepted injections are recorded for replay.</summary>
    public string InjectionsPath { get; init; } = "injections.jsonl";

    /// <summary>Where to keep the Markdown report up to date, if anywhere.</summary>
    public string? ReportMarkdownPath { get; init; }

    /// <summary>Which streams the nodes trace, instead of the topology's choice, and virtual time zero in span times.</summary>
    public TraceSettings Tracing { get; init; } = TraceSettings.None;

    public static CoordinatorOptions Parse(string[] args)
    {
        var options = new ProcessOptions("tsnsim-coordinator", args, Known);
        ulong? seed = null;
        if (options.Get("seed") is { } seedText)
            seed = ulong.TryParse(seedText, out var s) ? s : throw new UserInputException($"tsnsim-coordinator: --seed '{seedText}' is not a non-negative whole number");
        var duration = options.GetDuration("duration");
        var timeout = TimeSpan.FromSeconds(options.GetDuration("start-timeout")?.TotalSeconds ?? 60);
        int? exitWith = null;
        if (options.Get("exit-with") is { } pidText)
            exitWith = int.TryParse(pidText, out var pid) && pid > 0 ? pid : throw new UserInputException($"tsnsim-coordinator: --exit-with '{pidText}' is not a process id");
        return new CoordinatorOptions(options.Require("topology", "topologies/line.yaml"), options.Get("listen") ?? "0.0.0.0:50050",
            options.Get("report"), seed, duration, timeout, exitWith, options.Get("frame-log"))
        {
            Pace = options.Get("pace") is { } pace ? ProcessOptions.ParsePace(pace, "tsnsim-coordinator: --pace") : null,
            InjectionsPath = options.Get("injections") ?? "injections.jsonl",
            ReportMarkdownPath = options.Get("report-md"),
            Tracing = TraceSettings.Parse("none", null, options.Get("trace-streams"), options.Get("trace-epoch")),
        };
    }
}
