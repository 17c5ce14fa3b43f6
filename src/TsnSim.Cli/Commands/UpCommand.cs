using System.CommandLine;
using TsnSim.Cli.Launch;
using TsnSim.Cli.Output;
using TsnSim.Core.Telemetry;
using TsnSim.Hosting;
using TsnSim.Hosting.Tracing;

namespace TsnSim.Cli.Commands;

/// <summary>
/// <c>tsnsim up FILE</c>: the topology as one process per node plus a coordinator, on this
/// machine; prints the same table as <c>run</c> from the coordinator's report.
/// </summary>
public static class UpCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "Topology file (YAML)" };
        var duration = new Option<string?>("--duration") { Description = "Virtual time to run, e.g. 10ms (overrides the file)" };
        var seed = new Option<ulong?>("--seed") { Description = "Run seed (overrides the file)" };
        var report = new Option<string?>("--report") { Description = "Write the JSON report here (default: a temporary file)" };
        var reportMarkdown = new Option<string?>("--report-md") { Description = "Write the report as Markdown here, rewritten as the run goes" };
        var partitions = new Option<string[]>("--partition")
        {
            Description = "Run these nodes in one process, e.g. --partition h1,sw1 (repeatable; other nodes run alone)",
            AllowMultipleArgumentsPerToken = false,
        };
        var window = new Option<string?>("--window") { Description = "How far (virtual time) a process may run ahead of its receivers; default 10ms" };
        var quiet = new Option<bool>("--quiet") { Description = "Do not show the processes' progress lines" };
        var frameLog = new Option<string?>("--frame-log") { Description = "Write the per-frame hop log here (CSV), in the same order as run" };
        var pace = new Option<string?>("--pace") { Description = "Run virtual time at most F times wall time and take live traffic (TrafficService), e.g. --pace 1" };
        var injections = new Option<string?>("--injections") { Description = "Record accepted live traffic here for --replay (default injections.jsonl, written only if something is injected)" };
        var port = new Option<int?>("--port") { Description = "The coordinator's port on 127.0.0.1, where tsnsim inject sends live traffic (default: a free port, printed at start)" };
        var pcap = new Option<string?>("--pcap") { Description = "Write a pcapng file per port here (NODE-PORT.pcapng), each node process its own ports'" };
        var tracing = new TraceOptionSet();
        var command = new Command("up", "Run a topology as one process per node with a coordinator, on this machine")
        {
            file, duration, seed, report, reportMarkdown, partitions, window, quiet, frameLog, pace, injections, port, pcap,
        };
        tracing.AddTo(command);
        command.SetAction(async (parse, cancel) =>
        {
            var path = Path.GetFullPath(parse.GetValue(file)!);
            var topology = TopologyFile.Load(path, Console.Error);
            var durationText = parse.GetValue(duration);
            // Without a duration anywhere the run goes on, paced, until Ctrl-C ends it in order.
            bool untilStopped = durationText is null && topology.Duration is null;
            if (!untilStopped) TopologyFile.SettingsFor(topology, parse.GetValue(seed), OptionValues.Duration(durationText, "--duration"));
            if (parse.GetValue(window) is { } w) OptionValues.Duration(w, "--window");
            if (parse.GetValue(pace) is { } p) ProcessOptions.ParsePace(p, "--pace");
            var groups = (parse.GetValue(partitions) ?? []).Select(g => (IReadOnlyList<string>)g.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            try
            {
                Core.Distributed.PartitionLayout.FromGroups(topology, groups);
            }
            catch (ArgumentException e)
            {
                throw new UserInputException($"--partition: {e.Message}");
            }
            // A frame log that cannot be written should stop the run before it starts, as in `run`.
            if (parse.GetValue(frameLog) is { } logPath) new FrameLogCsvWriter(logPath, topology).Dispose();
            // Trace options are checked here, so a mistake stops the run before any process starts.
            var traceSettings = tracing.Settings(parse);
            traceSettings.SelectionFor(topology);
            traceSettings.CheckDirectory();
            var reportPath = Path.GetFullPath(parse.GetValue(report) ?? Path.Combine(Path.GetTempPath(), $"tsnsim-up-{Environment.ProcessId}.json"));
            var launcher = new LocalLauncher(topology, path, Console.Out, Console.Error);
            int code;
            try
            {
                code = await launcher.RunAsync(new LocalLauncher.Options(parse.GetValue(seed), durationText, reportPath, groups, parse.GetValue(window), parse.GetValue(quiet))
                {
                    FrameLogPath = parse.GetValue(frameLog) is { } log ? Path.GetFullPath(log) : null,
                    Pace = parse.GetValue(pace),
                    UntilStopped = untilStopped,
                    InjectionsPath = Path.GetFullPath(parse.GetValue(injections) ?? "injections.jsonl"),
                    ReportMarkdownPath = parse.GetValue(reportMarkdown) is { } markdown ? Path.GetFullPath(markdown) : null,
                    TraceExporters = parse.GetValue(tracing.Exporters),
                    TraceDirectory = parse.GetValue(tracing.Directory) is { } traceDirectory ? Path.GetFullPath(traceDirectory) : null,
                    TraceStreams = parse.GetValue(tracing.Streams),
                    TraceEpoch = parse.GetValue(tracing.Epoch),
                    PcapDirectory = parse.GetValue(pcap) is { } pcapDirectory ? Path.GetFullPath(pcapDirectory) : null,
                    CoordinatorPort = parse.GetValue(port) is { } number ? (number is > 0 and < 65536 ? number : throw new UserInputException($"--port: {number} is not a TCP port; expected 1 to 65535")) : null,
                }, cancel);
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                Console.Error.WriteLine($"tsnsim up: interrupted; every process was stopped; the partial report is in {reportPath}");
                return 130;
            }
            if (File.Exists(reportPath) && RunReport.FromJson(await File.ReadAllTextAsync(reportPath, CancellationToken.None)) is { } result)
            {
                if (code == ExitCodes.Success) ReportTable.Write(result, Console.Out);
                else Console.Error.WriteLine($"tsnsim up: the run did not finish; the partial report is in {reportPath}");
            }
            return code;
        });
        return command;
    }
}
