using TsnSim.Hosting;
using System.CommandLine;
using TsnSim.Cli.Output;
using TsnSim.Core.Simulation;
using TsnSim.Core.Topology;

namespace TsnSim.Cli.Commands;

/// <summary><c>tsnsim run FILE</c>: the whole topology in this process, then the table and the JSON report.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "Topology file (YAML)" };
        var duration = new Option<string?>("--duration") { Description = "Virtual time to run, e.g. 10ms (overrides the file)" };
        var seed = new Option<ulong?>("--seed") { Description = "Run seed (overrides the file)" };
        var report = new Option<string?>("--report") { Description = "Write the JSON report here" };
        var frameLog = new Option<string?>("--frame-log") { Description = "Write the per-frame hop log here (CSV)" };
        var command = new Command("run", "Simulate a topology in one process and print a latency report") { file, duration, seed, report, frameLog };
        command.SetAction(parse =>
        {
            var topology = TopologyFile.Load(parse.GetValue(file)!, Console.Error);
            var settings = TopologyFile.SettingsFor(topology, parse.GetValue(seed), OptionValues.Duration(parse.GetValue(duration), "--duration"));
            using var log = parse.GetValue(frameLog) is { } logPath ? new FrameLogCsvWriter(logPath, topology) : null;
            var result = SingleProcessRun.Execute(topology, settings with { FrameLog = log });
            ReportTable.Write(result, Console.Out);
            if (parse.GetValue(report) is { } reportPath) ReportFile.Write(reportPath, result);
            return ExitCodes.Success;
        });
        return command;
    }
}
