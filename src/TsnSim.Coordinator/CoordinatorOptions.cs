using TsnSim.Core.Time;
using TsnSim.Hosting;

namespace TsnSim.Coordinator;

/// <summary>How the coordinator is configured: flags, else TSNSIM_* environment variables (compose).</summary>
public sealed record CoordinatorOptions(string TopologyPath, string Listen, string? ReportPath, ulong? Seed, SimTime? Duration, TimeSpan StartTimeout, int? ExitWithProcess, string? FrameLogPath)
{
    private static readonly string[] Known = ["topology", "listen", "report", "seed", "duration", "start-timeout", "exit-with", "frame-log"];

    public static CoordinatorOptions Parse(string[] args)
    {
        var options = new ProcessOptions("tsnsim-coordinator", args, Known);
        ulong? seed = null;
        if (options.Get("seed") is { } seedText)
            seed = ulong.TryParse(seedText, out var s) ? s : throw new UserInputException($"tsnsim-coordinator: --seed '{seedText}' is not a non-negative whole number");
        SimTime? duration = null;
        if (options.Get("duration") is { } durationText)
        {
            if (!SimTime.TryParse(durationText, out var d, out var error) || d.Picoseconds <= 0)
                throw new UserInputException($"tsnsim-coordinator: --duration '{durationText}': {(error.Length > 0 ? error : "expected a positive duration such as 10ms")}");
            duration = d;
        }
        var timeout = TimeSpan.FromSeconds(60);
        if (options.Get("start-timeout") is { } timeoutText)
        {
            if (!SimTime.TryParse(timeoutText, out var t, out _) || t.Picoseconds <= 0)
                throw new UserInputException($"tsnsim-coordinator: --start-timeout '{timeoutText}' is not a positive duration such as 60s");
            timeout = TimeSpan.FromSeconds(t.TotalSeconds);
        }
        int? exitWith = null;
        if (options.Get("exit-with") is { } pidText)
            exitWith = int.TryParse(pidText, out var pid) && pid > 0 ? pid : throw new UserInputException($"tsnsim-coordinator: --exit-with '{pidText}' is not a process id");
        return new CoordinatorOptions(options.Require("topology", "topologies/line.yaml"), options.Get("listen") ?? "0.0.0.0:50050",
            options.Get("report"), seed, duration, timeout, exitWith, options.Get("frame-log"));
    }
}
