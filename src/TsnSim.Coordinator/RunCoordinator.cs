using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using TsnSim.Core.Simulation;
using TsnSim.Core.Telemetry;
using TsnSim.Core.Time;
using TsnSim.Hosting;
using TsnSim.Hosting.Traffic;
using TsnSim.Protos.Control;
using TsnSim.Protos.Telemetry;

namespace TsnSim.Coordinator;

/// <summary>
/// The run's referee: admits node processes, starts them together once every node of the
/// topology is covered, folds their telemetry into the report (rewriting the report file as it
/// goes, so a crash loses nothing already collected), ends the run when all have finished,
/// and aborts everyone, naming the culprit, when one fails or disappears.
/// </summary>
public sealed class RunCoordinator
{
    private static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);
    /// <summary>The duration a run without one starts with: far beyond any run, and room to add the drain.</summary>
    private static readonly SimTime UntilStoppedPlaceholder = new(long.MaxValue / 4);

    private readonly object _gate = new();
    // Report writes go one at a time and in order, so an older report never replaces a newer one.
    private readonly object _reportFile = new();
    private readonly LoadedTopology _loaded;
    private readonly CoordinatorOptions _options;
    private RunSettings _settings;
    // A run without a duration goes on, paced, until it is stopped; then _settings gets the duration it ran.
    private readonly bool _untilStopped;
    private bool _stopping;
    private readonly ReportAccumulator _report;
    private readonly Dictionary<string, Participant> _participants = new();
    private readonly Dictionary<string, long> _eventsByPartition = new();
    private readonly List<Core.Telemetry.HopRecord> _hops = [];
    private readonly FrameLogCsvWriter? _frameLog;
    private readonly InjectionLogWriter _injections;
    private readonly Dictionary<string, Core.Distributed.SyncCounters> _syncByPartition = new();
    private readonly TaskCompletionSource<int> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Stopwatch _wall = new();
    private readonly Stopwatch _sinceReport = Stopwatch.StartNew();
    private readonly Stopwatch _sinceProgress = Stopwatch.StartNew();
    private readonly string _runId = Guid.NewGuid().ToString("N");
    private bool _started;
    private string? _error;
    // The report as it stood when the run ended: every later reader (file, GetReport) gets exactly it.
    private RunReport? _final;

    private sealed class Participant(string partition, IReadOnlyList<string> nodes, string address, IServerStreamWriter<CoordinatorCommand> commands)
    {
        public string Partition { get; } = partition;
        public IReadOnlyList<string> Nodes { get; } = nodes;
        public string Address { get; } = address;
        public IServerStreamWriter<CoordinatorCommand> Commands { get; } = commands;
        public SemaphoreSlim WriteLock { get; } = new(1, 1);
        public long VirtualTimePs { get; set; }
        public bool Finished { get; set; }
        public bool FinalTelemetry { get; set; }
        public bool Running { get; set; }
        public long? LiveInputPs { get; set; }
    }

    public RunCoordinator(LoadedTopology loaded, CoordinatorOptions options)
    {
        _loaded = loaded;
        _options = options;
        _untilStopped = options.Duration is null && loaded.Topology.Duration is null;
        _settings = _untilStopped
            ? new RunSettings(options.Seed ?? loaded.Topology.Seed, UntilStoppedPlaceholder, loaded.Topology.Drain)
            : TopologyFile.SettingsFor(loaded.Topology, options.Seed, options.Duration);
        _report = new ReportAccumulator(loaded.Topology);
        // Opened now, so a path that cannot be written stops the coordinator before the run, not after it.
        if (options.FrameLogPath is { } frameLog) _frameLog = new FrameLogCsvWriter(frameLog, loaded.Topology);
        _injections = new InjectionLogWriter(options.InjectionsPath,
            new Protos.Traffic.RecordedRun { TopologySha256 = loaded.Fingerprint, Seed = _settings.Seed, DurationPs = _untilStopped ? 0 : _settings.Duration.Picoseconds });
    }

    /// <summary>The process exit code, once the run has ended one way or the other.</summary>
    public Task<int> Outcome => _outcome.Task;

    /// <summary>Where the process of each node registered so far serves (its Register.address), by node name.</summary>
    public IReadOnlyDictionary<string, string> NodeAddresses()
    {
        lock (_gate) return _participants.Values.SelectMany(p => p.Nodes.Select(node => (node, p.Address))).ToDictionary(e => e.node, e => e.Address);
    }

    public async Task<int> RunAsync(CancellationToken stopping)
    {
        WriteReport(force: true);
        if (_options.ExitWithProcess is { } parent) _ = WatchParentAsync(parent, stopping);
        var timeout = Task.Delay(_options.StartTimeout, stopping);
        if (await Task.WhenAny(_outcome.Task, timeout) == timeout && !_outcome.Task.IsCompleted)
        {
            bool startedInTime;
            lock (_gate) startedInTime = _started;
            if (!startedInTime)
            {
                string[] missing;
                lock (_gate) missing = _loaded.Topology.Nodes.Select(n => n.Name).Where(n => !_participants.Values.Any(p => p.Nodes.Contains(n))).ToArray();
                await AbortAsync(stopping.IsCancellationRequested
                    ? "the coordinator was stopped"
                    : $"nodes {string.Join(", ", missing.Select(m => $"'{m}'"))} did not register within {_options.StartTimeout.TotalSeconds:0} s");
            }
        }
        using var registration = stopping.Register(() => _ = StopOrAbortAsync());
        return await _outcome.Task;
    }

    /// <summary>
    /// Interrupted: a started run without a duration ends in order, as if it had been given the
    /// duration it reached, and keeps its report; anything else is aborted.
    /// </summary>
    private async Task StopOrAbortAsync()
    {
        List<Participant> everyone;
        lock (_gate)
        {
            if (!_untilStopped || !_started || _stopping || _outcome.Task.IsCompleted) everyone = [];
            else
            {
                _stopping = true;
                everyone = _participants.Values.ToList();
            }
        }
        if (everyone.Count == 0)
        {
            bool already;
            lock (_gate) already = _stopping;
            if (!already) await AbortAsync("the coordinator was stopped");
            return;
        }
        Console.Out.WriteLine("tsnsim coordinator: stopping the run: no more live traffic; finishing where the nodes' live inputs reached");
        foreach (var p in everyone) await SendAsync(p, new CoordinatorCommand { StopLive = new StopLive() });
        var clock = Stopwatch.StartNew();
        while (true)
        {
            long[] reached;
            lock (_gate) reached = everyone.Where(p => p.LiveInputPs is not null).Select(p => p.LiveInputPs!.Value).ToArray();
            if (reached.Length == everyone.Count)
            {
                var duration = new SimTime(Math.Max(1, reached.Max()));
                lock (_gate) _settings = _settings with { Duration = duration };
                _injections.End(duration.Picoseconds);
                foreach (var p in everyone) await SendAsync(p, new CoordinatorCommand { FinishAt = new FinishAt { EndPs = duration.Picoseconds } });
                return;
            }
            if (clock.Elapsed > StopTimeout || _outcome.Task.IsCompleted)
            {
                string[] silent;
                lock (_gate) silent = everyone.Where(p => p.LiveInputPs is null).Select(p => $"'{p.Partition}'").ToArray();
                await AbortAsync($"node processes {string.Join(", ", silent)} did not answer the stop within {StopTimeout.TotalSeconds:0} s");
                return;
            }
            await Task.Delay(20);
        }
    }

    /// <summary>The launcher (tsnsim up) died without cleaning up: end the run so nothing is left behind.</summary>
    private async Task WatchParentAsync(int pid, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested && !_outcome.Task.IsCompleted)
        {
            try
            {
                using var parent = System.Diagnostics.Process.GetProcessById(pid);
                if (parent.HasExited) break;
            }
            catch (ArgumentException)
            {
                break;
            }
            await Task.Delay(TimeSpan.FromSeconds(1), stopping).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        if (!stopping.IsCancellationRequested) await AbortAsync($"the launching process {pid} is gone");
    }

    /// <summary>Serves one node process's session until it ends.</summary>
    public async Task ServeSessionAsync(IAsyncStreamReader<NodeReport> reports, IServerStreamWriter<CoordinatorCommand> commands, CancellationToken cancel)
    {
        if (!await reports.MoveNext(cancel) || reports.Current.Register is not { } register)
            throw new RpcException(new Status(StatusCode.InvalidArgument, "the first message of a session must be Register"));
        var (participant, refusal) = Admit(register, commands);
        if (participant is null)
        {
            // The node hears why in an Abort, and a plain gRPC client (grpcurl) in the status.
            await commands.WriteAsync(new CoordinatorCommand { Abort = new Abort { Reason = refusal } }, cancel);
            throw new RpcException(new Status(StatusCode.InvalidArgument, refusal!));
        }
        try
        {
            while (await reports.MoveNext(cancel))
            {
                var report = reports.Current;
                switch (report.BodyCase)
                {
                    case NodeReport.BodyOneofCase.Progress:
                        lock (_gate) participant.VirtualTimePs = report.Progress.VirtualTimePs;
                        ShowProgress();
                        break;
                    case NodeReport.BodyOneofCase.Running:
                        lock (_gate)
                        {
                            participant.Running = true;
                            if (_participants.Values.All(p => p.Running)) _wall.Start();
                        }
                        break;
                    case NodeReport.BodyOneofCase.LiveStopped:
                        lock (_gate) participant.LiveInputPs = report.LiveStopped.LiveInputPs;
                        break;
                    case NodeReport.BodyOneofCase.Finished:
                        lock (_gate)
                        {
                            participant.Finished = true;
                            participant.VirtualTimePs = report.Finished.VirtualTimePs;
                        }
                        CompleteIfDone();
                        break;
                    case NodeReport.BodyOneofCase.Failure:
                        await AbortAsync(report.Failure.Message);
                        return;
                }
            }
            bool finished;
            lock (_gate) finished = participant.Finished;
            if (!finished) await AbortAsync($"node process '{participant.Partition}' closed its session before finishing");
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or RpcException or OperationCanceledException)
        {
            bool finished;
            lock (_gate) finished = participant.Finished;
            if (!finished) await AbortAsync($"node process '{participant.Partition}' disconnected ({e.GetType().Name}: {e.Message})");
        }
    }

    private (Participant? Admitted, string? Refusal) Admit(Register register, IServerStreamWriter<CoordinatorCommand> commands)
    {
        string? refusal = null;
        Participant? participant = null;
        List<Participant>? everyone = null;
        lock (_gate)
        {
            var known = _loaded.Topology.Nodes.Select(n => n.Name).ToHashSet();
            if (register.TopologyHash != _loaded.Fingerprint)
                refusal = $"node process '{register.Partition}' loaded a different topology file (sha256 {Short(register.TopologyHash)}) from the coordinator's {_loaded.Path} ({Short(_loaded.Fingerprint)}); start every process with the same file";
            else if (register.Nodes.FirstOrDefault(n => !known.Contains(n)) is { } unknown)
                refusal = $"node '{unknown}' is not in {_loaded.Path}; expected one of {string.Join(", ", known)}";
            else if (_started)
                refusal = $"node process '{register.Partition}' registered after the run started";
            else if (_participants.Values.FirstOrDefault(p => p.Nodes.Intersect(register.Nodes).Any()) is { } clash)
                refusal = $"node process '{register.Partition}' claims nodes that '{clash.Partition}' already runs";
            else if (_participants.Values.FirstOrDefault(p => p.Address == register.Address) is { } sameAddress)
                refusal = $"node process '{register.Partition}' advertises {register.Address}, which '{sameAddress.Partition}' already uses; every process needs its own address (TSNSIM_ADVERTISE)";
            else
            {
                participant = new Participant(register.Partition, register.Nodes.ToArray(), register.Address, commands);
                _participants[register.Partition] = participant;
                if (_participants.Values.Sum(p => p.Nodes.Count) == known.Count)
                {
                    _started = true;
                    everyone = _participants.Values.ToList();
                }
            }
        }
        if (refusal is not null)
        {
            Console.Error.WriteLine($"tsnsim coordinator: refused: {refusal}");
            return (null, refusal);
        }
        if (everyone is not null) _ = StartAsync(everyone);
        return (participant, null);
    }

    private async Task StartAsync(List<Participant> everyone)
    {
        var start = new Start
        {
            RunId = _runId,
            Seed = _settings.Seed,
            DurationPs = _settings.Duration.Picoseconds,
            DrainPs = _settings.Drain.Picoseconds,
            FrameLog = _options.FrameLogPath is not null,
            Pace = _options.Pace ?? (_untilStopped ? 1 : 0),
            UntilStopped = _untilStopped,
            TraceEpochUnixNs = ((_options.Tracing.Epoch ?? DateTime.UtcNow) - DateTime.UnixEpoch).Ticks * 100,
            TraceStreamsGiven = _options.Tracing.Streams is not null,
            TraceStreams = { _options.Tracing.Streams ?? [] },
        };
        foreach (var p in everyone)
            foreach (var node in p.Nodes) start.NodeAddresses[node] = p.Address;
        Console.Out.WriteLine(_untilStopped
            ? $"tsnsim coordinator: {everyone.Count} node processes registered; starting run {_runId[..8]} of {_loaded.Topology.Name} until stopped, paced at {start.Pace}x wall time (Ctrl-C or SIGTERM ends it and keeps the report)"
            : $"tsnsim coordinator: {everyone.Count} node processes registered; starting run {_runId[..8]} of {_loaded.Topology.Name} for {_settings.Duration}");
        foreach (var p in everyone) await SendAsync(p, new CoordinatorCommand { Start = start });
    }

    public void AcceptTelemetry(TelemetryBatch batch)
    {
        lock (_gate)
        {
            TelemetrySampler.Fold(batch, _report);
            if (_options.FrameLogPath is not null) _hops.AddRange(TelemetrySampler.HopsOf(batch));
            if (batch.Injections.Count > 0) RecordInjections(batch);
            _eventsByPartition[batch.Partition] = batch.Events;
            _report.Events = _eventsByPartition.Values.Sum();
            if (TelemetrySampler.SyncOf(batch) is { } sync)
            {
                _syncByPartition[batch.Partition] = sync;
                _report.Sync = _syncByPartition.Values.Aggregate((a, b) => a + b);
            }
            if (batch.Final && _participants.TryGetValue(batch.Partition, out var p)) p.FinalTelemetry = true;
        }
        WriteReport(force: batch.Final);
        if (batch.Final) CompleteIfDone();
    }

    /// <summary>Appends to the injection log; a log that cannot be written ends the run, since its replay would be lost.</summary>
    private void RecordInjections(TelemetryBatch batch)
    {
        try
        {
            _injections.Append(batch.Injections);
        }
        catch (UserInputException e)
        {
            _ = AbortAsync(e.Message);
        }
    }

    private void CompleteIfDone()
    {
        lock (_gate)
        {
            if (!_started || _outcome.Task.IsCompleted || !_participants.Values.All(p => p.Finished && p.FinalTelemetry)) return;
            _wall.Stop();
            _final = BuildReport();
        }
        WriteReport(force: true);
        bool logged = WriteFrameLog();
        _injections.Dispose();
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"tsnsim coordinator: run finished: {_settings.Duration} of virtual time in {_wall.Elapsed.TotalSeconds:0.00} s"));
        if (_injections.Written > 0)
            Console.Out.WriteLine($"tsnsim coordinator: {_injections.Written} injections recorded in {_injections.Path}; replay them with: tsnsim run {_loaded.Path} --replay {_injections.Path}");
        _outcome.TrySetResult(logged ? ExitCodes.Success : ExitCodes.Failure);
    }

    private async Task AbortAsync(string reason)
    {
        List<Participant> everyone;
        lock (_gate)
        {
            if (_outcome.Task.IsCompleted || _error is not null) return;
            _error = reason;
            _final = BuildReport();
            everyone = _participants.Values.ToList();
        }
        Console.Error.WriteLine($"tsnsim coordinator: aborting the run: {reason}");
        WriteReport(force: true);
        foreach (var p in everyone) await SendAsync(p, new CoordinatorCommand { Abort = new Abort { Reason = reason } });
        _outcome.TrySetResult(ExitCodes.Failure);
    }

    private static async Task SendAsync(Participant p, CoordinatorCommand command)
    {
        await p.WriteLock.WaitAsync();
        try
        {
            await p.Commands.WriteAsync(command);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or RpcException or OperationCanceledException)
        {
            // That process is gone already; the others still hear.
        }
        finally
        {
            p.WriteLock.Release();
        }
    }

    private void ShowProgress()
    {
        long reached;
        lock (_gate)
        {
            if (_sinceProgress.Elapsed < ProgressInterval || _participants.Count == 0) return;
            _sinceProgress.Restart();
            reached = _participants.Values.Min(p => p.VirtualTimePs);
        }
        if (reached == 0) return;
        double wall = _wall.Elapsed.TotalSeconds;
        double virtualSeconds = reached / (double)SimTime.PicosecondsPerSecond;
        if (_untilStopped)
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"progress: {virtualSeconds * 1e3:0.###} ms virtual, until stopped, {virtualSeconds / Math.Max(wall, 1e-9):0.###}x wall time"));
            return;
        }
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"progress: {virtualSeconds * 1e3:0.###} ms of {_settings.Duration} virtual ({100.0 * reached / Math.Max(1, _settings.Duration.Picoseconds):0}%), {virtualSeconds / Math.Max(wall, 1e-9):0.###}x wall time"));
    }

    /// <summary>
    /// The report so far, with the virtual time every process has reached and whether the run
    /// is over (then the report is the final one and never changes again).
    /// </summary>
    public (RunReport Report, long VirtualTimePs, bool Ended) Snapshot()
    {
        // A process that finished has simulated to the end (duration + drain), whatever its last event's time.
        long end = (_settings.Duration + _settings.Drain).Picoseconds;
        lock (_gate)
            return (_final ?? BuildReport(), _participants.Count == 0 ? 0 : _participants.Values.Min(p => p.Finished ? end : p.VirtualTimePs), _final is not null);
    }

    public RunSettings Settings => _settings;

    private RunReport BuildReport() => _report.Build(_settings, "up", _wall.Elapsed, _error);

    private void WriteReport(bool force)
    {
        if (_options.ReportPath is null && _options.ReportMarkdownPath is null) return;
        lock (_reportFile)
        {
            RunReport report;
            lock (_gate)
            {
                if (!force && _sinceReport.Elapsed < ReportInterval) return;
                _sinceReport.Restart();
                report = _final ?? BuildReport();
            }
            try
            {
                ReportFile.WriteAll(_options.ReportPath, _options.ReportMarkdownPath, report);
            }
            catch (UserInputException e)
            {
                Console.Error.WriteLine($"tsnsim coordinator: {e.Message}");
            }
        }
    }

    /// <summary>
    /// The hops of every node, in the order one process would have logged them. False, with a
    /// message, when the file cannot be written: the run then does not count as a success.
    /// </summary>
    private bool WriteFrameLog()
    {
        if (_frameLog is null) return true;
        try
        {
            List<Core.Telemetry.HopRecord> hops;
            lock (_gate) hops = _hops.ToList();
            var nodeOfPort = _loaded.Topology.Nodes.SelectMany(n => n.Ports.Select(_ => n.Name)).ToArray();
            foreach (var hop in new FrameLogOrder(_loaded.Topology).Sort(hops)) _frameLog.OnHop(nodeOfPort[hop.ToPort], hop);
            _frameLog.Dispose();
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"tsnsim coordinator: --frame-log: cannot write '{_options.FrameLogPath}': {e.Message}");
            return false;
        }
    }

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] + "…" : hash;
}
