using System.Globalization;
using TsnSim.Cli.Traffic;
using TsnSim.Core.Distributed;
using TsnSim.Core.Topology;
using TsnSim.Hosting;

namespace TsnSim.Cli.Launch;

/// <summary>
/// Starts a distributed run on this machine: the coordinator and one node process per node (the
/// same processes compose runs), on loopback ports picked free. It waits for the coordinator,
/// stops early if any node process fails, and kills whatever is left on the way out.
/// </summary>
public sealed class LocalLauncher(TopologyConfig topology, string topologyPath, TextWriter output, TextWriter errors)
{
    private readonly object _console = new();

    public sealed record Options(ulong? Seed, string? Duration, string ReportPath, IReadOnlyList<IReadOnlyList<string>> Groups, string? Window, bool Quiet)
    {
        public string? FrameLogPath { get; init; }
        public string? Pace { get; init; }
        public string? InjectionsPath { get; init; }
        /// <summary>The run has no duration: Ctrl-C asks the coordinator to end it in order, and the launcher waits for that.</summary>
        public bool UntilStopped { get; init; }
        public string? ReportMarkdownPath { get; init; }
        /// <summary>The coordinator's port on loopback; null picks a free one.</summary>
        public int? CoordinatorPort { get; init; }
        /// <summary>Frame tracing as given on the command line: exporters and directory go to the nodes, streams and epoch to the coordinator.</summary>
        public string? TraceExporters { get; init; }
        public string? TraceDirectory { get; init; }
        public string? TraceStreams { get; init; }
        public string? TraceEpoch { get; init; }
        /// <summary>Each node process writes the pcapng files of its ports here.</summary>
        public string? PcapDirectory { get; init; }
    }

    public async Task<int> RunAsync(Options options, CancellationToken cancel)
    {
        var directory = AppContext.BaseDirectory;
        string coordinatorDll = Path.Combine(directory, "TsnSim.Coordinator.dll"), nodeDll = Path.Combine(directory, "TsnSim.Node.dll");
        foreach (var dll in new[] { coordinatorDll, nodeDll })
            if (!File.Exists(dll)) throw new InvalidOperationException($"{dll} is missing; rebuild with ./tsnsim or dotnet build");

        // The groups asked for, and every other node alone: the same layout the nodes will derive.
        var layout = PartitionLayout.FromGroups(topology, options.Groups.Select(g => (IReadOnlyCollection<string>)g.ToArray()));
        var groups = layout.Partitions.Select(layout.NodesOf).ToList();
        var ports = FreePorts.Take(groups.Count + 1);
        if (options.CoordinatorPort is { } fixedPort) ports[0] = fixedPort;
        var coordinatorUrl = $"http://127.0.0.1:{ports[0]}";
        // Clients (tsnsim inject, scripts) need this address to reach the running simulation.
        lock (_console)
        {
            output.WriteLine($"tsnsim up: coordinator at {coordinatorUrl} (export {TrafficCall.AddressVariable}={coordinatorUrl})");
            // Only a paced run takes live traffic; one without a duration is paced.
            if (options.Pace is not null || options.UntilStopped)
                output.WriteLine($"tsnsim up: live traffic, for example: tsnsim inject --address {coordinatorUrl} {InjectExample(topology)}");
        }
        var children = new List<ChildProcess>();
        try
        {
            // --exit-with: should this process die without cleaning up, the coordinator notices and ends the run.
            var coordinatorArgs = new List<string>
            {
                "--topology", topologyPath, "--listen", $"127.0.0.1:{ports[0]}", "--report", options.ReportPath,
                "--exit-with", Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
            };
            if (options.Seed is { } seed) coordinatorArgs.AddRange(["--seed", seed.ToString(CultureInfo.InvariantCulture)]);
            if (options.Duration is { } duration) coordinatorArgs.AddRange(["--duration", duration]);
            if (options.FrameLogPath is { } frameLog) coordinatorArgs.AddRange(["--frame-log", frameLog]);
            if (options.Pace is { } pace) coordinatorArgs.AddRange(["--pace", pace]);
            if (options.InjectionsPath is { } injections) coordinatorArgs.AddRange(["--injections", injections]);
            if (options.ReportMarkdownPath is { } markdown) coordinatorArgs.AddRange(["--report-md", markdown]);
            if (options.TraceStreams is { } traceStreams) coordinatorArgs.AddRange(["--trace-streams", traceStreams]);
            if (options.TraceEpoch is { } traceEpoch) coordinatorArgs.AddRange(["--trace-epoch", traceEpoch]);
            var coordinator = new ChildProcess("coordinator", coordinatorDll, coordinatorArgs, Forward(options.Quiet));
            children.Add(coordinator);
            for (int i = 0; i < groups.Count; i++)
            {
                var nodeArgs = new List<string>
                {
                    "--topology", topologyPath, "--nodes", string.Join(',', groups[i]), "--coordinator", coordinatorUrl,
                    "--listen", $"127.0.0.1:{ports[i + 1]}", "--advertise", $"http://127.0.0.1:{ports[i + 1]}",
                };
                if (options.Window is { } window) nodeArgs.AddRange(["--window", window]);
                if (options.TraceExporters is { } exporters) nodeArgs.AddRange(["--trace", exporters]);
                if (options.TraceDirectory is { } traceDirectory) nodeArgs.AddRange(["--trace-dir", traceDirectory]);
                if (options.PcapDirectory is { } pcapDirectory) nodeArgs.AddRange(["--pcap", pcapDirectory]);
                children.Add(new ChildProcess(string.Join(',', groups[i]), nodeDll, nodeArgs, Forward(options.Quiet)));
            }
            // Ctrl-C reaches every process of the terminal: a run without a duration then ends in
            // order (the coordinator stops it and writes the report), so wait for that a while.
            using var patience = new CancellationTokenSource();
            using var onCancel = cancel.Register(() =>
            {
                if (options.UntilStopped) patience.CancelAfter(TimeSpan.FromSeconds(25));
                else patience.Cancel();
            });
            var patient = patience.Token;
            // The coordinator decides the outcome and names a node that dies mid-run. A node that
            // fails before it registers (a port taken, a bad option) it never hears of: watch for that too.
            var nodes = children.Skip(1).ToList();
            var coordinatorDone = coordinator.WaitAsync(patient);
            var nodeFailed = FirstFailureAsync(nodes, patient);
            if (await Task.WhenAny(coordinatorDone, nodeFailed) == nodeFailed && await nodeFailed is { } failed)
            {
                await Task.WhenAny(coordinatorDone, Task.Delay(TimeSpan.FromSeconds(5), patient));
                if (!coordinator.HasExited)
                {
                    lock (_console) errors.WriteLine($"tsnsim up: node process '{failed.Name}' exited with code {failed.ExitCode} before the run ended; stopping");
                    return ExitCodes.Failure;
                }
            }
            await coordinatorDone;
            await Task.WhenAny(Task.WhenAll(nodes.Select(n => n.WaitAsync(patient))), Task.Delay(TimeSpan.FromSeconds(10), patient));
            return coordinator.ExitCode;
        }
        finally
        {
            // Kill them all first, then wait: one slow exit must not delay the others' end.
            foreach (var child in children) child.Kill();
            foreach (var child in children) child.Dispose();
        }
    }

    /// <summary>The first node process to exit with a failure; null if all of them exit cleanly.</summary>
    private static async Task<ChildProcess?> FirstFailureAsync(List<ChildProcess> nodes, CancellationToken cancel)
    {
        // Pairs, not a dictionary keyed by task: two processes already gone may share one completed task.
        var running = nodes.Select(n => (Exit: n.WaitAsync(cancel), Node: n)).ToList();
        while (running.Count > 0)
        {
            var done = await Task.WhenAny(running.Select(r => r.Exit));
            // Interrupted (Ctrl-C): the processes are still running; their exit codes do not exist yet.
            await done;
            var index = running.FindIndex(r => r.Exit == done);
            var node = running[index].Node;
            running.RemoveAt(index);
            if (node.ExitCode != ExitCodes.Success) return node;
        }
        return null;
    }

    /// <summary>A frame from the first host to the second (or to everyone, when there is one host).</summary>
    private static string InjectExample(TopologyConfig topology)
    {
        var hosts = topology.Nodes.Where(n => n.Kind == NodeKind.Host).Select(n => n.Name).ToList();
        if (hosts.Count == 0) return "streams";
        return hosts.Count > 1 ? $"frames {hosts[0]} --to {hosts[1]} --after 1ms" : $"frames {hosts[0]} --to-mac ff:ff:ff:ff:ff:ff --after 1ms";
    }

    private Action<string, string, bool> Forward(bool quiet) => (name, line, isError) =>
    {
        if (quiet && !isError) return;
        lock (_console) (isError ? errors : output).WriteLine(name == "coordinator" ? line : $"[{name}] {line}");
    };
}
