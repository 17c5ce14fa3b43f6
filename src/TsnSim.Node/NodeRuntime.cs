using System.Diagnostics;
using System.Threading.Channels;
using Grpc.Core;
using Grpc.Net.Client;
using TsnSim.Core.Distributed;
using TsnSim.Core.Simulation;
using TsnSim.Core.Time;
using TsnSim.Hosting;
using TsnSim.Hosting.Tracing;
using TsnSim.Hosting.Traffic;
using TsnSim.Protos.Control;
using TsnSim.Protos.Link;
using TsnSim.Protos.Telemetry;

namespace TsnSim.Node;

/// <summary>
/// The life of a node process: register with the coordinator, wait for the start, connect to
/// the neighbouring processes, run the partition under conservative synchronisation, report,
/// and stop. Any failure ends the run with a message that names who failed.
/// </summary>
public sealed class NodeRuntime(NodeOptions options, LoadedTopology loaded)
{
    private static readonly TimeSpan TelemetryInterval = TimeSpan.FromMilliseconds(500);

    private static readonly TimeSpan PaceTick = TimeSpan.FromMilliseconds(1);
    private const int MaxWaitingRequests = 1024;

    private readonly Channel<PeerInput> _inbox = Channel.CreateBounded<PeerInput>(new BoundedChannelOptions(256) { SingleReader = true });
    private readonly Channel<LiveRequest> _requests = Channel.CreateBounded<LiveRequest>(new BoundedChannelOptions(MaxWaitingRequests) { SingleReader = true });
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(15);

    private volatile int _loopState; // 0 not started, 1 simulating, 2 over
    private volatile bool _untilStopped;
    private volatile bool _stopLiveRequested;
    private long _finishAtPs = -1;
    private readonly Dictionary<string, PeerConnection> _peers = new();
    private readonly TaskCompletionSource _peersReady = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _finished;
    private readonly CancellationTokenSource _abort = new();
    private string? _abortReason;
    private readonly TaskCompletionSource _aborted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string _runId = "";
    private HashSet<string> _expectedPeers = [];

    public string PartitionName { get; } = string.Join(',', loaded.Topology.Nodes.Select(n => n.Name).Where(options.Nodes.Contains));

    public ChannelWriter<PeerInput> Inbox => _inbox.Writer;

    /// <summary>
    /// Queues a traffic request for the simulation loop; refuses it at once when the loop is not
    /// running or too many requests wait already.
    /// </summary>
    public void Submit(LiveRequest request)
    {
        if (_loopState != 1)
        {
            request.Reply.TrySetException(_loopState == 0
                ? new RpcException(new Status(StatusCode.Unavailable, $"node '{PartitionName}' has not started its run yet; retry once every node has registered"))
                : new RpcException(new Status(StatusCode.FailedPrecondition, $"node '{PartitionName}': the run is over")));
            return;
        }
        if (!_requests.Writer.TryWrite(request))
        {
            request.Reply.TrySetException(new RpcException(new Status(StatusCode.ResourceExhausted,
                $"node '{PartitionName}' already has {MaxWaitingRequests} traffic requests waiting; retry later")));
            return;
        }
        _inbox.Writer.TryWrite(PeerInput.Wake);
    }

    public LinkMessage Hello() => new() { Hello = new Hello { Partition = PartitionName, TopologyHash = loaded.Fingerprint, RunId = _runId } };

    /// <summary>
    /// A peer dialled us: waits until our own run has started (it may dial first), then refuses
    /// one that is not a neighbour or runs another topology.
    /// </summary>
    public async Task<PeerConnection> AcceptPeerAsync(Hello hello, CancellationToken cancel)
    {
        if (await Task.WhenAny(_started.Task, Task.Delay(options.ConnectTimeout, cancel)) != _started.Task)
            throw new RpcException(new Status(StatusCode.Unavailable, $"partition '{PartitionName}' has not started its run"));
        if (hello.RunId != _runId)
            throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"partition '{hello.Partition}' belongs to another run ({hello.RunId}, this is {_runId}); a process left over from an earlier run?"));
        if (hello.TopologyHash != loaded.Fingerprint)
            throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"partition '{hello.Partition}' runs a different topology file (sha256 {hello.TopologyHash[..Math.Min(12, hello.TopologyHash.Length)]}…) from '{PartitionName}' ({loaded.Fingerprint[..12]}…); start every process with the same file"));
        lock (_peers)
        {
            if (!_expectedPeers.Contains(hello.Partition) || string.CompareOrdinal(hello.Partition, PartitionName) > 0)
                throw new RpcException(new Status(StatusCode.FailedPrecondition,
                    $"partition '{hello.Partition}' may not dial '{PartitionName}': it is not a neighbour that dials here in this run"));
            if (_peers.ContainsKey(hello.Partition))
                throw new RpcException(new Status(StatusCode.AlreadyExists, $"partition '{hello.Partition}' is already connected to '{PartitionName}'"));
            var connection = new PeerConnection(hello.Partition);
            _peers[hello.Partition] = connection;
            if (_peers.Count == _expectedPeers.Count) _peersReady.TrySetResult();
            return connection;
        }
    }

    public async Task<int> RunAsync(CancellationToken signalled)
    {
        // Interrupted (Ctrl-C, docker compose stop), a run without a duration waits a while for
        // the coordinator to end it in order (StopLive, FinishAt); any other run stops at once.
        using var stopping = new CancellationTokenSource();
        using var onSignal = signalled.Register(() =>
        {
            if (_untilStopped) stopping.CancelAfter(StopGrace);
            else stopping.Cancel();
        });
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token, _abort.Token);
        var cancel = linked.Token;
        using var coordinatorChannel = GrpcEndpoints.Channel(options.Coordinator);
        var control = new Control.ControlClient(coordinatorChannel);
        AsyncDuplexStreamingCall<NodeReport, CoordinatorCommand>? session = null;
        try
        {
            session = await ConnectWithRetryAsync(() => OpenSessionAsync(control, cancel), $"the coordinator at {options.Coordinator}", cancel);
            var start = await WaitForStartAsync(session, cancel);
            _runId = start.RunId;
            _untilStopped = start.UntilStopped;
            var layout = PartitionLayout.FromGroups(loaded.Topology,
                start.NodeAddresses.GroupBy(kv => kv.Value).Select(g => (IReadOnlyCollection<string>)g.Select(kv => kv.Key).ToArray()));
            var hops = start.FrameLog ? new HopBuffer() : null;
            using var capture = options.PcapDirectory is { } pcapDirectory ? new Hosting.Capture.PortCapture(pcapDirectory, loaded.Topology.Name) : null;
            using var telemetryExport = OpenTelemetrySession.Start(options.Tracing with { Streams = start.TraceStreamsGiven ? start.TraceStreams : null },
                loaded.Topology, PartitionName, start.RunId, DateTime.UnixEpoch.AddTicks(start.TraceEpochUnixNs / 100));
            var settings = new RunSettings(start.Seed, new SimTime(start.DurationPs), new SimTime(start.DrainPs)) { FrameLog = hops, Tracer = telemetryExport.Tracer, Deliveries = telemetryExport.Deliveries, Capture = capture };
            var partition = PartitionBuilder.Build(loaded.Topology, settings, layout, PartitionName);
            telemetryExport.Observe(partition);
            var sync = new ConservativeSynchronizer(partition, settings.Duration + settings.Drain, options.Window);
            var watch = WatchCoordinatorAsync(session, cancel);
            await ConnectPeersAsync(sync, layout, start, cancel);
            await session.RequestStream.WriteAsync(new NodeReport { Running = new Running() }, cancel);

            var telemetry = new Telemetry.TelemetryClient(coordinatorChannel).Publish(cancellationToken: cancel);
            var sampler = new TelemetrySampler(partition, () => sync.Counters, hops);
            var live = new LiveTrafficHandler(loaded.Topology, partition);
            if (start.Pace > 0) sync.OpenLiveInput();
            await SimulateAsync(sync, live, settings, start.Pace, session, telemetry, sampler, cancel);

            await telemetry.RequestStream.WriteAsync(Sample(sampler, live, final: true), cancel);
            await telemetry.RequestStream.CompleteAsync();
            await telemetry.ResponseAsync;
            foreach (var peer in _peers.Values)
            {
                peer.Send(new LinkMessage { Terminate = new Terminate() });
                peer.CompleteSending();
            }
            _finished = true;
            await session.RequestStream.WriteAsync(new NodeReport { Finished = new Finished { VirtualTimePs = partition.Scheduler.Latest.Picoseconds, Events = partition.ExecutedEvents } }, cancel);
            await session.RequestStream.CompleteAsync();
            // Peers still running may send us more (frames past the end, their last promises):
            // keep reading until they close, so they never wait on us.
            var drained = DrainUntilPeersCloseAsync();
            // Wait for the coordinator to end the session itself: closing it from here first
            // would reset the stream and could discard the Finished report still unread.
            await Task.WhenAll(
                Task.WhenAny(drained, Task.Delay(TimeSpan.FromSeconds(10))),
                Task.WhenAny(watch, Task.Delay(TimeSpan.FromSeconds(10))));
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is OperationCanceledException && (stopping.IsCancellationRequested || signalled.IsCancellationRequested || _abortReason is not null))
        {
            Console.Error.WriteLine($"tsnsim node {PartitionName}: {_abortReason ?? "stopped"}");
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is RpcException or IOException or InvalidOperationException or UserInputException or HttpRequestException)
        {
            var message = e is RpcException rpc ? PeerConnection.Describe(rpc) : e.Message;
            if (session is not null)
            {
                try { await session.RequestStream.WriteAsync(new NodeReport { Failure = new Failure { Message = $"node '{PartitionName}': {message}" } }); }
                catch (Exception) { /* the coordinator may be the one that is gone */ }
                // A failure here is often the echo of one elsewhere (a peer that stopped because
                // the coordinator aborted or vanished): give the root cause a moment to arrive.
                await Task.WhenAny(_aborted.Task, Task.Delay(TimeSpan.FromMilliseconds(500)));
            }
            Console.Error.WriteLine($"tsnsim node {PartitionName}: {_abortReason ?? message}");
            return e is UserInputException ? ExitCodes.InvalidInput : ExitCodes.Failure;
        }
        finally
        {
            session?.Dispose();
        }
    }

    private async Task<AsyncDuplexStreamingCall<NodeReport, CoordinatorCommand>> OpenSessionAsync(Control.ControlClient control, CancellationToken cancel)
    {
        var call = control.Session(cancellationToken: cancel);
        try
        {
            await call.RequestStream.WriteAsync(new NodeReport
            {
                Register = new Register { Partition = PartitionName, Nodes = { options.Nodes }, TopologyHash = loaded.Fingerprint, Address = options.Advertise.ToString().TrimEnd('/') },
            }, cancel);
            return call;
        }
        catch
        {
            call.Dispose();
            throw;
        }
    }

    private async Task<Start> WaitForStartAsync(AsyncDuplexStreamingCall<NodeReport, CoordinatorCommand> session, CancellationToken cancel)
    {
        if (!await session.ResponseStream.MoveNext(cancel))
            throw new InvalidOperationException($"the coordinator at {options.Coordinator} closed the session before the start");
        var command = session.ResponseStream.Current;
        if (command.Abort is { } abort) throw new UserInputException($"the coordinator refused this node: {abort.Reason}");
        return command.Start ?? throw new InvalidOperationException("the coordinator's first command was not a start");
    }

    /// <summary>The coordinator's session ends the run when it aborts or disappears.</summary>
    private async Task WatchCoordinatorAsync(AsyncDuplexStreamingCall<NodeReport, CoordinatorCommand> session, CancellationToken cancel)
    {
        try
        {
            while (await session.ResponseStream.MoveNext(cancel))
            {
                var command = session.ResponseStream.Current;
                if (command.Abort is { } abort) Abort($"the coordinator aborted the run: {abort.Reason}");
                // The loop carries these out; the nudge wakes it if it waits.
                if (command.StopLive is not null) _stopLiveRequested = true;
                if (command.FinishAt is { } finish) Interlocked.Exchange(ref _finishAtPs, finish.EndPs);
                if (command.StopLive is not null || command.FinishAt is not null) _inbox.Writer.TryWrite(PeerInput.Wake);
            }
            Abort($"the coordinator at {options.Coordinator} closed the session");
        }
        catch (Exception e) when (e is RpcException or IOException or InvalidOperationException)
        {
            Abort($"the coordinator at {options.Coordinator} is gone ({PeerConnection.Describe(e)})");
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task DrainUntilPeersCloseAsync()
    {
        var closed = Task.WhenAll(_peers.Values.Select(p => p.Closed));
        while (!closed.IsCompleted)
        {
            var more = _inbox.Reader.WaitToReadAsync().AsTask();
            if (await Task.WhenAny(more, closed) == closed) break;
            while (_inbox.Reader.TryRead(out _))
            {
            }
        }
    }

    private void Abort(string reason)
    {
        if (_finished) return;
        _abortReason ??= reason;
        _aborted.TrySetResult();
        _abort.Cancel();
    }

    /// <summary>Dials the peers whose names sort after ours; waits for the others to dial us.</summary>
    private async Task ConnectPeersAsync(ConservativeSynchronizer sync, PartitionLayout layout, Start start, CancellationToken cancel)
    {
        lock (_peers) _expectedPeers = sync.Peers.ToHashSet();
        _started.TrySetResult();
        if (_expectedPeers.Count == 0) _peersReady.TrySetResult();
        foreach (var peer in _expectedPeers.Where(p => string.CompareOrdinal(PartitionName, p) < 0))
        {
            var address = start.NodeAddresses[layout.NodesOf(peer)[0]];
            var connection = await ConnectWithRetryAsync(() => DialPeerAsync(peer, address, cancel), $"peer '{peer}' at {address}", cancel);
            lock (_peers)
            {
                _peers[peer] = connection;
                if (_peers.Count == _expectedPeers.Count) _peersReady.TrySetResult();
            }
        }
        var waited = await Task.WhenAny(_peersReady.Task, Task.Delay(options.ConnectTimeout, cancel));
        if (waited != _peersReady.Task)
        {
            string[] missing;
            lock (_peers) missing = _expectedPeers.Where(p => !_peers.ContainsKey(p)).ToArray();
            throw new InvalidOperationException($"peers {string.Join(", ", missing.Select(m => $"'{m}'"))} did not connect within {options.ConnectTimeout.TotalSeconds:0} s");
        }
    }

    private async Task<PeerConnection> DialPeerAsync(string peer, string address, CancellationToken cancel)
    {
        var channel = GrpcEndpoints.Channel(new Uri(address));
        var call = new PeerLink.PeerLinkClient(channel).Exchange(cancellationToken: cancel);
        try
        {
            return await HandshakeAsync(peer, address, channel, call, cancel);
        }
        catch
        {
            // Every failed attempt of the retry loop lets go of what it opened.
            call.Dispose();
            channel.Dispose();
            throw;
        }
    }

    private async Task<PeerConnection> HandshakeAsync(string peer, string address, GrpcChannel channel, AsyncDuplexStreamingCall<LinkMessage, LinkMessage> call, CancellationToken cancel)
    {
        await call.RequestStream.WriteAsync(Hello(), cancel);
        if (!await call.ResponseStream.MoveNext(cancel) || call.ResponseStream.Current.Hello is not { } hello)
            throw new InvalidOperationException($"peer '{peer}' at {address} did not answer with a Hello");
        if (hello.Partition != peer || hello.RunId != _runId)
            throw new InvalidOperationException($"the process at {address} runs '{hello.Partition}' of run {hello.RunId}, not '{peer}' of run {_runId}");
        var connection = new PeerConnection(peer);
        _ = connection.PumpAsync(call.ResponseStream, call.RequestStream, _inbox.Writer, () => call.RequestStream.CompleteAsync(), cancel)
            .ContinueWith(_ => { call.Dispose(); channel.Dispose(); }, TaskScheduler.Default);
        return connection;
    }

    /// <summary>Retries while the other side is not up yet (compose starts everything at once), with backoff.</summary>
    private async Task<T> ConnectWithRetryAsync<T>(Func<Task<T>> connect, string what, CancellationToken cancel)
    {
        var deadline = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            try
            {
                return await connect();
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && deadline.Elapsed < options.ConnectTimeout)
            {
                await Task.Delay(delay, cancel);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
            {
                throw new InvalidOperationException($"cannot reach {what} after {options.ConnectTimeout.TotalSeconds:0} s: {e.Status.Detail}");
            }
        }
    }

    /// <summary>
    /// The simulation loop: apply what peers sent, run what is safe, send what that produced,
    /// and wait for peers only when nothing can run.
    /// </summary>
    private async Task SimulateAsync(ConservativeSynchronizer sync, LiveTrafficHandler live, RunSettings settings, double pace,
        AsyncDuplexStreamingCall<NodeReport, CoordinatorCommand> session,
        AsyncClientStreamingCall<TelemetryBatch, TelemetryAck> telemetry, TelemetrySampler sampler, CancellationToken cancel)
    {
        _loopState = 1;
        try
        {
            await LoopAsync(sync, live, settings, pace, session, telemetry, sampler, cancel);
        }
        finally
        {
            _loopState = 2;
            while (_requests.Reader.TryRead(out var request))
                request.Reply.TrySetException(new RpcException(new Status(StatusCode.FailedPrecondition, $"node '{PartitionName}': the run is over")));
        }
    }

    private static TelemetryBatch Sample(TelemetrySampler sampler, LiveTrafficHandler live, bool final)
    {
        var batch = sampler.Sample(final);
        batch.Injections.AddRange(live.DrainRecorded());
        return batch;
    }

    /// <summary>
    /// Answers the traffic requests that wait. In a paced run "now" is the live input's
    /// promise; elsewhere only questions are answered, and injections are refused.
    /// </summary>
    private void ServeRequests(ConservativeSynchronizer sync, LiveTrafficHandler live, RunSettings settings, bool paced, bool stopping)
    {
        while (_requests.Reader.TryRead(out var request))
        {
            if (request.NeedsLiveInput && !paced)
            {
                request.Reply.TrySetException(new RpcException(new Status(StatusCode.FailedPrecondition, stopping
                    ? $"node '{PartitionName}': the run is stopping and takes no more live traffic"
                    : $"node '{PartitionName}': this run takes no live traffic (it runs as fast as it can); start it with --pace F, or without a duration")));
                continue;
            }
            // An injection takes effect from the live input's promise on; a question is answered as of what has run.
            long now = paced && request.NeedsLiveInput ? sync.LiveInputPs : Math.Max(0, sync.ReachedPs + 1);
            try
            {
                request.Reply.TrySetResult(request.Work(live, now, settings.Duration));
            }
            catch (Exception e) when (e is InvalidTrafficRequestException or TrafficBusyException)
            {
                request.Reply.TrySetException(e);
            }
        }
    }

    private async Task LoopAsync(ConservativeSynchronizer sync, LiveTrafficHandler live, RunSettings settings, double pace,
        AsyncDuplexStreamingCall<NodeReport, CoordinatorCommand> session,
        AsyncClientStreamingCall<TelemetryBatch, TelemetryAck> telemetry, TelemetrySampler sampler, CancellationToken cancel)
    {
        var pool = sync.Partition.Pool;
        var sinceReport = Stopwatch.StartNew();
        bool paced = pace > 0;
        // Virtual time may reach pace x the wall time since the run started, and no further.
        var paceClock = Stopwatch.StartNew();
        double psPerWallTick = pace * 1e12 / Stopwatch.Frequency;
        bool liveStopped = false;
        while (true)
        {
            if (_stopLiveRequested && !liveStopped)
            {
                // Hold the live input where it is and say where: the coordinator ends the run past every process's.
                liveStopped = true;
                paced = false;
                await session.RequestStream.WriteAsync(new NodeReport { LiveStopped = new LiveStopped { LiveInputPs = sync.LiveInputPs } }, cancel);
            }
            if (Interlocked.Exchange(ref _finishAtPs, -1) is var finishAt and >= 0)
                sync.StopAt(new SimTime(finishAt), settings.Drain);
            if (paced) sync.AdvanceLiveInput((long)Math.Min(long.MaxValue / 2, paceClock.ElapsedTicks * psPerWallTick));
            ServeRequests(sync, live, settings, paced && !liveStopped, liveStopped);
            bool applied = false;
            while (_inbox.Reader.TryRead(out var input))
            {
                Apply(sync, input);
                applied = true;
            }
            bool moved = sync.Advance();
            foreach (var batch in sync.CollectOutgoing())
                foreach (var message in LinkMessages.ToMessages(batch, pool))
                    if (!_peers[batch.Peer].Send(message) && !_peers[batch.Peer].PeerTerminated)
                        throw new InvalidOperationException($"the link stream with '{batch.Peer}' is closed");
            if (sinceReport.Elapsed >= TelemetryInterval)
            {
                sinceReport.Restart();
                await telemetry.RequestStream.WriteAsync(Sample(sampler, live, final: false), cancel);
                await session.RequestStream.WriteAsync(new NodeReport { Progress = new Progress { VirtualTimePs = Math.Max(0, sync.ReachedPs), Events = sync.Partition.ExecutedEvents } }, cancel);
            }
            if (sync.Finished) return;
            if (!moved && !applied)
            {
                sync.CountWait();
                if (!paced) Apply(sync, await _inbox.Reader.ReadAsync(cancel));
                // Paced, the wall clock moves the live input on: look again every tick.
                else if (await Task.WhenAny(_inbox.Reader.WaitToReadAsync(cancel).AsTask(), Task.Delay(PaceTick, cancel)) is var woken && woken.IsCanceled)
                    cancel.ThrowIfCancellationRequested();
            }
        }
    }

    private void Apply(ConservativeSynchronizer sync, PeerInput input)
    {
        if (input.IsWake) return;
        if (input.Failure is { } failure)
        {
            // A peer that said it finished may close its stream however it likes.
            if (_peers.TryGetValue(input.Peer, out var peer) && peer.PeerTerminated) return;
            throw new InvalidOperationException(failure);
        }
        var message = input.Message!;
        switch (message.BodyCase)
        {
            case LinkMessage.BodyOneofCase.Batch:
                LinkMessages.Apply(message.Batch, input.Peer, sync);
                break;
            case LinkMessage.BodyOneofCase.Terminate:
                _peers[input.Peer].PeerTerminated = true;
                if (message.Terminate.Reason.Length > 0) throw new InvalidOperationException($"peer '{input.Peer}' stopped: {message.Terminate.Reason}");
                sync.PeerTerminated(input.Peer);
                break;
            default:
                throw new InvalidOperationException($"peer '{input.Peer}' sent an unexpected {message.BodyCase} message");
        }
    }
}
