using TsnSim.Hosting;
using System.CommandLine;
using TsnSim.Cli.Output;
using TsnSim.Core.Simulation;
using TsnSim.Core.Topology;
using TsnSim.Hosting.Capture;
using TsnSim.Hosting.Tracing;
using TsnSim.Hosting.Traffic;

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
        var reportMarkdown = new Option<string?>("--report-md") { Description = "Write the report as Markdown here" };
        var frameLog = new Option<string?>("--frame-log") { Description = "Write the per-frame hop log here (CSV)" };
        var replay = new Option<string?>("--replay") { Description = "Accept again the live traffic recorded by a paced `up` run (its injections.jsonl): the same run, the same frames_digest" };
        var ptpCsv = new Option<string?>("--ptp-csv") { Description = "Write every node's time error against the grandmaster, per sync interval, here (CSV; topologies with ptp:)" };
        var pcap = new Option<string?>("--pcap") { Description = "Write a pcapng file per port here (NODE-PORT.pcapng): every frame as a tap on the wire records it" };
        var tracing = new TraceOptionSet();
        var command = new Command("run", "Simulate a topology in one process and print a latency report") { file, duration, seed, report, reportMarkdown, frameLog, replay, pcap, ptpCsv };
        tracing.AddTo(command);
        command.SetAction(parse =>
        {
            var loaded = TopologyFile.LoadWithFingerprint(parse.GetValue(file)!, Console.Error);
            var topology = loaded.Topology;
            var recorded = parse.GetValue(replay) is { } replayPath ? InjectionLog.Read(replayPath) : null;
            if (recorded is not null && recorded.Run.TopologySha256 != loaded.Fingerprint)
                throw new UserInputException($"{recorded.Path}: recorded with another topology file (sha256 {recorded.Run.TopologySha256[..Math.Min(12, recorded.Run.TopologySha256.Length)]}…, {loaded.Path} has {loaded.Fingerprint[..12]}…); replay needs the file the run used");
            // A replay runs as recorded unless the command line says otherwise.
            var settings = TopologyFile.SettingsFor(topology,
                parse.GetValue(seed) ?? recorded?.Run.Seed,
                OptionValues.Duration(parse.GetValue(duration), "--duration") ?? (recorded is { Run.DurationPs: > 0 } ? new Core.Time.SimTime(recorded.Run.DurationPs) : null));
            using var log = parse.GetValue(frameLog) is { } logPath ? new FrameLogCsvWriter(logPath, topology) : null;
            var traceSettings = tracing.Settings(parse);
            traceSettings.CheckDirectory();
            using var telemetry = OpenTelemetrySession.Start(traceSettings, topology, "run", Guid.NewGuid().ToString("N"), traceSettings.Epoch ?? DateTime.UtcNow);
            using var capture = parse.GetValue(pcap) is { } pcapDirectory ? new PortCapture(pcapDirectory, topology.Name) : null;
            if (parse.GetValue(ptpCsv) is not null && topology.Ptp is null)
                throw new UserInputException($"--ptp-csv: topology {topology.Name} runs no PTP (add a ptp: section)");
            Core.Simulation.Partition? simulated = null;
            var result = SingleProcessRun.Execute(topology, settings with { FrameLog = log, Tracer = telemetry.Tracer, Deliveries = telemetry.Deliveries, Capture = capture }, partition =>
            {
                simulated = partition;
                telemetry.Observe(partition);
                if (recorded is not null) Replayer.AcceptAll(recorded, topology, partition);
            });
            if (parse.GetValue(ptpCsv) is { } csvPath)
                PtpCsvWriter.Write(csvPath, topology, simulated!.Nodes.ToDictionary(n => n.Name, n => n.Context.Telemetry.ClockSamples));
            ReportTable.Write(result, Console.Out);
            ReportFile.WriteAll(parse.GetValue(report), parse.GetValue(reportMarkdown), result);
            return ExitCodes.Success;
        });
        return command;
    }
}
