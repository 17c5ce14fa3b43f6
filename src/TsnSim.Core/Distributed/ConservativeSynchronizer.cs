using TsnSim.Core.Engine;
using TsnSim.Core.Frames;
using TsnSim.Core.Links;
using TsnSim.Core.Nodes;
using TsnSim.Core.Simulation;
using TsnSim.Core.Time;
using TsnSim.Core.Traffic;

namespace TsnSim.Core.Distributed;

/// <summary>
/// Conservative (Chandy–Misra–Bryant) execution of one partition among others. The partition
/// runs every event earlier than the least promise of its inbound links, then promises each
/// peer how long it will certainly not send: its port's next possible transmission start,
/// plus the link's lookahead. That next start is bounded by what the model knows: a frame on
/// the wire keeps the port busy, only some pending events can lead to this port (a bridge
/// never forwards out of the ingress port, a host never forwards), and only some inbound links.
///
/// Buffers stay bounded by a window of virtual time: each partition tells the peers that send
/// to it how far they may run (its own progress plus the window), so no sender gets more than
/// a window's worth of frames ahead of its receiver, however free its promises leave it.
/// </summary>
public sealed class ConservativeSynchronizer
{
    private readonly Partition _partition;
    private long _endPs;
    private readonly Dictionary<int, InboundLink> _inbound;
    // For each kind of pending event, the port it concerns: resolved once, looked up per event.
    private readonly Dictionary<int, Port> _arrivalPortByDirection = new();
    private readonly Dictionary<int, Port> _portByGlobalIndex = new();
    private readonly Dictionary<int, Port> _talkerPortByStream = new();

    private readonly long _windowPs;
    private readonly Dictionary<string, long> _peerHorizonPs = new();
    private readonly Dictionary<string, long> _advertisedHorizonPs = new();
    private readonly Dictionary<string, PeerBatch> _batches = new();
    private readonly List<OutboundFrame> _drained = [];
    private long _reachedPs = -1;
    private readonly BridgeLanes? _lanes;
    // Per peer, what its last horizon grant rested on: the window follows its rate since then too.
    private readonly Dictionary<string, (long ConsumedPs, long Frames)> _lastGrant = new();

    public static readonly SimTime DefaultWindow = SimTime.FromMilliseconds(10);

    /// <summary>Frames a peer may have in flight to us, as its traffic so far lets us expect them, before the window stops growing.</summary>
    public const int WindowFrames = 1024;

    /// <summary>How many times the window at most a sparse peer's horizon may stretch to.</summary>
    public const int MaxWindowStretch = 100;

    public ConservativeSynchronizer(Partition partition, SimTime end, SimTime? window = null)
    {
        _partition = partition;
        _endPs = end.Picoseconds;
        _windowPs = (window ?? DefaultWindow).Picoseconds;
        if (_windowPs <= 0) throw new ArgumentOutOfRangeException(nameof(window), "the window must be positive");
        foreach (var channel in partition.RemoteChannels) _peerHorizonPs[channel.PeerPartition] = _windowPs;
        foreach (var link in partition.InboundLinks) _advertisedHorizonPs[link.PeerPartition] = _windowPs;
        foreach (var peer in _peerHorizonPs.Keys.Union(_advertisedHorizonPs.Keys)) _batches[peer] = new PeerBatch(peer);
        _inbound = partition.InboundLinks.ToDictionary(l => l.Index);
        if (partition.Scheduler.HasLanes) _lanes = new BridgeLanes(partition);
        foreach (var node in partition.Nodes)
        {
            foreach (var port in node.Ports)
            {
                _portByGlobalIndex[port.GlobalIndex] = port;
                if (port.Egress is LocalLinkChannel local) _arrivalPortByDirection[local.Index] = local.Destination;
            }
            if (node is Host host)
                foreach (var talker in host.Talkers) _talkerPortByStream[talker.Plan.Index] = talker.Port;
        }
        foreach (var link in partition.InboundLinks) _arrivalPortByDirection[link.Index] = link.Destination;
    }

    public Partition Partition => _partition;

    /// <summary>Events before this time may run: no inbound frame can arrive earlier.</summary>
    public long SafePs
    {
        get
        {
            long safe = long.MaxValue;
            foreach (var link in _partition.InboundLinks) safe = Math.Min(safe, link.PromisedPs);
            return safe;
        }
    }

    /// <summary>
    /// The promise of the live-traffic input: no injection will take effect before this time.
    /// <see cref="long.MaxValue"/> (the default) when the run takes no live traffic; a paced run
    /// moves it with the wall clock. The partition runs nothing at or past it, and promises its
    /// peers no more than it allows a host to transmit.
    /// </summary>
    public long LiveInputPs { get; private set; } = long.MaxValue;

    /// <summary>Opens the live-traffic input at time zero: from now on the run goes no faster than <see cref="AdvanceLiveInput"/> lets it.</summary>
    public void OpenLiveInput()
    {
        if (_reachedPs >= 0) throw new InvalidOperationException("the live input must be opened before the run starts");
        LiveInputPs = 0;
    }

    /// <summary>Moves the live input's promise on (never back).</summary>
    public void AdvanceLiveInput(long ps)
    {
        if (ps > LiveInputPs) LiveInputPs = ps;
    }

    /// <summary>
    /// A run without a duration is stopped: applications send nothing from <paramref name="duration"/>
    /// on, the run ends after the drain, and no live traffic comes any more — exactly a run given
    /// that duration from the start.
    /// </summary>
    public void StopAt(SimTime duration, SimTime drain)
    {
        // Lanes may have run past the time every lane has reached.
        long reached = Math.Max(Math.Max(_reachedPs, _arrivalsReachedPs), _partition.Scheduler.Latest.Picoseconds);
        if (duration.Picoseconds <= reached)
            throw new ArgumentOutOfRangeException(nameof(duration), $"partition '{_partition.Name}' has already run to {new SimTime(reached)}, past {duration}");
        foreach (var node in _partition.Nodes) node.Context.Duration = duration;
        _endPs = (duration + drain).Picoseconds;
        LiveInputPs = long.MaxValue;
    }

    public SimTime End => new(_endPs);

    /// <summary>True when every event up to the end has run and no frame can still arrive before it.</summary>
    public bool Finished => SafePs > _endPs && LiveInputPs > _endPs && _partition.Scheduler.NextTime.Picoseconds > _endPs
        && (_partition.ArrivalScheduler?.NextTime.Picoseconds ?? long.MaxValue) > _endPs;

    public InboundLink Inbound(int direction) =>
        _inbound.TryGetValue(direction, out var link) ? link
            : throw new InvalidOperationException($"link direction {direction} does not enter partition '{_partition.Name}'");

    /// <summary>The peers this partition exchanges anything with, in name order.</summary>
    public IEnumerable<string> Peers => _batches.Keys.Order(StringComparer.Ordinal);

    private long _messages, _remoteFrames, _promises, _horizons, _waits;

    /// <summary>Totals so far of what this partition sent, and how often it had to wait.</summary>
    public SyncCounters Counters => new(_messages, _remoteFrames, _promises, _horizons, _waits);

    /// <summary>The host's loop found nothing safe to run and is waiting for a peer.</summary>
    public void CountWait() => _waits++;

    /// <summary>Virtual time up to which every event has run; -1 before the first step.</summary>
    public long ReachedPs => _partition.ArrivalScheduler is null ? _reachedPs : Math.Min(_reachedPs, _arrivalsReachedPs);

    /// <summary>How far this partition has taken in what peers send: what its horizon grants are based on.</summary>
    private long ConsumedPs => _partition.ArrivalScheduler is null ? _reachedPs : _arrivalsReachedPs;

    private long _arrivalsReachedPs = -1;

    /// <summary>A peer ended: nothing more will come from it, and it waits for nothing.</summary>
    public void PeerTerminated(string peer)
    {
        foreach (var link in _partition.InboundLinks)
            if (link.PeerPartition == peer) link.Promise(long.MaxValue);
        if (_peerHorizonPs.ContainsKey(peer)) _peerHorizonPs[peer] = long.MaxValue;
    }

    /// <summary>The peer lets us run until <paramref name="horizonPs"/> before it must catch up.</summary>
    public void SetPeerHorizon(string peer, long horizonPs)
    {
        if (_peerHorizonPs.TryGetValue(peer, out var current) && horizonPs > current) _peerHorizonPs[peer] = horizonPs;
    }

    /// <summary>
    /// Runs the events that are safe now and within the peers' horizons, at most a quarter
    /// window of virtual time at once; returns how many ran. Short steps keep the pipeline
    /// full: frames and horizon updates go out while there is still work, instead of a whole
    /// window's worth arriving at the peer in one lump after it has sat idle. True when the
    /// partition moved on (ran events or advanced its time); false when it must wait for peers.
    /// </summary>
    public bool Advance()
    {
        long safe = SafePs;
        long safeLimit = Math.Min(safe == long.MaxValue ? long.MaxValue : safe - 1, _endPs);
        long liveLimit = LiveInputPs == long.MaxValue ? long.MaxValue : LiveInputPs - 1;
        _partition.Start();
        if (_lanes is not null)
        {
            // Each lane waits only for the horizon of the peer it sends to: east need not wait for the west's receivers.
            long limit = Math.Min(_endPs, liveLimit);
            long ran = _lanes.Run(limit, _peerHorizonPs);
            // Every event up to here has run in every lane, and nothing can still arrive before it.
            long floor = Math.Min(Math.Min(safeLimit, limit), _partition.Scheduler.NextTime.Picoseconds - 1);
            bool advanced = floor > _reachedPs;
            if (advanced)
            {
                _reachedPs = floor;
                _lanes.Reached(floor);
            }
            return ran > 0 || advanced;
        }
        long horizonLimit = liveLimit;
        foreach (var horizon in _peerHorizonPs.Values) horizonLimit = Math.Min(horizonLimit, horizon);
        if (_partition.ArrivalScheduler is { } arrivals)
        {
            // What arrives only needs the safe time; what we send only needs the peers' horizons.
            bool took = Step(arrivals, safeLimit, ref _arrivalsReachedPs);
            bool sent = Step(_partition.Scheduler, Math.Min(_endPs, horizonLimit), ref _reachedPs);
            return took || sent;
        }
        return Step(_partition.Scheduler, Math.Min(safeLimit, horizonLimit), ref _reachedPs);
    }

    private bool Step(Scheduler scheduler, long limit, ref long reached)
    {
        // A quarter of the way to the limit, and no less than a quarter window: a peer that grants a long horizon (sparse
        // traffic) gets fewer, fuller messages. A run that takes live traffic keeps to short steps: it follows the wall clock.
        if (reached >= 0 && reached < long.MaxValue - _windowPs)
        {
            long step = Math.Max(1, _windowPs / 4);
            if (limit < long.MaxValue && LiveInputPs == long.MaxValue) step = Math.Max(step, (limit - reached) / 4);
            limit = Math.Min(limit, reached + step);
        }
        long ran = scheduler.RunUntil(new SimTime(limit));
        bool moved = limit > reached;
        if (moved) reached = limit;
        return ran > 0 || moved;
    }

    /// <summary>
    /// Everything each peer should now hear from us: frames sent since the last call, promises
    /// that grew, and our horizon when it moved by a quarter window (or to the end). Batches
    /// with nothing in them are left out. The caller sends them and returns the frames to
    /// <see cref="Partition.Pool"/>.
    /// </summary>
    public IEnumerable<PeerBatch> CollectOutgoing()
    {
        foreach (var batch in _batches.Values) batch.Clear();
        foreach (var channel in _partition.RemoteChannels)
        {
            _drained.Clear();
            channel.DrainTo(_drained);
            _batches[channel.PeerPartition].Frames.AddRange(_drained);
        }
        bool done = Finished;
        foreach (var channel in _partition.RemoteChannels)
        {
            long promise = done ? long.MaxValue : PromiseFor(channel);
            long reflect = done ? long.MaxValue : Math.Max(promise, ReflectPromiseFor(channel));
            long novelty = done ? long.MaxValue : Math.Max(promise, NoveltyBoundFor(channel));
            if (promise <= channel.PromisedPs && reflect <= channel.ReflectPromisedPs && novelty <= channel.NoveltyPromisedPs) continue;
            channel.PromisedPs = Math.Max(channel.PromisedPs, promise);
            channel.ReflectPromisedPs = Math.Max(channel.ReflectPromisedPs, reflect);
            channel.NoveltyPromisedPs = Math.Max(channel.NoveltyPromisedPs, novelty);
            _batches[channel.PeerPartition].Promises.Add(new LinkPromise(channel.Index, channel.PromisedPs, channel.ReflectPromisedPs, channel.NoveltyPromisedPs));
        }
        foreach (var peer in _advertisedHorizonPs.Keys.ToArray())
        {
            long consumed = _lanes?.ConsumedFrom(peer) ?? ConsumedPs;
            long window = WindowFor(peer, consumed, out long frames);
            long horizon = done ? long.MaxValue : SimTime.AddSaturating(consumed, window);
            if (horizon == long.MaxValue ? _advertisedHorizonPs[peer] == long.MaxValue : horizon - _advertisedHorizonPs[peer] < window / 4) continue;
            _advertisedHorizonPs[peer] = horizon;
            _lastGrant[peer] = (consumed, frames);
            _batches[peer].HorizonPs = horizon;
        }
        foreach (var batch in _batches.Values)
        {
            if (batch.IsEmpty) continue;
            _messages++;
            _remoteFrames += batch.Frames.Count;
            _promises += batch.Promises.Count;
            if (batch.HorizonPs is not null) _horizons++;
        }
        return _batches.Values.Where(b => !b.IsEmpty);
    }

    /// <summary>
    /// The window granted to <paramref name="peer"/>: what bounds the frames it sends ahead is
    /// their number, so a peer that has sent few frames a window so far gets a longer one, as
    /// long as about <see cref="WindowFrames"/> of its frames would fit at its rate over the
    /// whole run and since the last grant (a burst shrinks the next grant at once), and at most
    /// <see cref="MaxWindowStretch"/> windows. Fewer horizons then travel on sparse links.
    /// Horizons pace the run; they never change its result.
    /// </summary>
    private long WindowFor(string peer, long consumedPs, out long frames)
    {
        frames = 0;
        foreach (var link in _partition.InboundLinks)
            if (link.PeerPartition == peer) frames += link.Delivered;
        if (consumedPs <= _windowPs) return _windowPs;
        double psPerFrame = (double)consumedPs / Math.Max(1, frames);
        if (_lastGrant.TryGetValue(peer, out var last) && frames > last.Frames)
            psPerFrame = Math.Min(psPerFrame, (double)Math.Max(0, consumedPs - last.ConsumedPs) / (frames - last.Frames));
        return (long)Math.Clamp(psPerFrame * WindowFrames, _windowPs, (double)_windowPs * MaxWindowStretch);
    }

    private long PromiseFor(RemoteLinkChannel channel)
    {
        var port = channel.Source;
        long earliest = long.MaxValue;
        var scheduler = _partition.Scheduler;
        for (int heap = 0; heap < scheduler.HeapCount; heap++)
            foreach (ref readonly var pending in scheduler.PendingIn(heap))
                if (pending.Time < earliest && CanLeadTo(pending, port)) earliest = pending.Time;
        foreach (var link in _partition.InboundLinks)
        {
            if (link.PromisedPs < earliest && CanReach(link.Destination, port)) earliest = link.PromisedPs;
            // A PTP node answers a peer-delay request (or, as a 1588 master, a Delay_Req) on the port it came in by, and only that.
            else if (link.Destination == port && port.Owner.Ptp is { ForwardsAnsweredRequests: false } && link.ReflectPromisedPs < earliest) earliest = link.ReflectPromisedPs;
        }
        if (port.Owner is Host) earliest = Math.Min(earliest, LiveInputPs);
        // A client may give a port a new gate schedule, which can release the frames waiting there.
        else if (port.Classes is not null && port.QueueDepth > 0) earliest = Math.Min(earliest, LiveInputPs);
        if (earliest == long.MaxValue) return long.MaxValue;
        long start = Math.Max(earliest, port.BusyUntil.Picoseconds);
        return start + channel.Lookahead.Picoseconds;
    }

    /// <summary>
    /// The novelty bound (see <see cref="LinkPromise.NoveltyUntilPs"/>), where such a frame could
    /// arrive at the earliest: a bridge in lanes knows it from its other ports; a host whose port
    /// has sent its own address and holds nothing queued sends no other until a client injects
    /// bytes of its own. 0 when unknown.
    /// </summary>
    private long NoveltyBoundFor(RemoteLinkChannel channel)
    {
        if (_lanes is not null) return _lanes.NoveltyBoundFor(channel);
        var port = channel.Source;
        if (_partition.Nodes.Count != 1 || port.Owner is not Host host || port.Transmitter is not null || port.QueueDepth > 0
            || !channel.SentSources.Contains(host.Config.Mac.Value)) return 0;
        long earliest = LiveInputPs;
        foreach (ref readonly var pending in _partition.Scheduler.Pending)
            if (pending.Class == EventClass.Injection && pending.Time < earliest) earliest = pending.Time;
        return SimTime.AddSaturating(earliest, channel.Lookahead.Picoseconds);
    }

    /// <summary>
    /// The reflect promise: the earliest a frame that makes the peer answer on this same link (a
    /// peer-delay request, or a 1588 Delay_Req) could arrive there. Only this port's own PTP
    /// request timer sends one, or one already waiting in its queue; a node without PTP never
    /// does. A transparent clock forwards the Delay_Reqs of others, which every one of them
    /// sends from a timer of its own: see <see cref="ForwardedRequestBoundPs"/>.
    /// </summary>
    private long ReflectPromiseFor(RemoteLinkChannel channel)
    {
        var port = channel.Source;
        if (port.Owner.Ptp is null) return long.MaxValue;
        // A queue full of data sends no request; only a queued request bounds the reflect promise (no sooner than the port is free,
        // nor than now: a request held by a NIC waiting for a Tx completion, or by a closed gate, goes no earlier than what has run).
        long earliest = port.QueuedRequests > 0 ? Math.Max(port.BusyUntil.Picoseconds, _partition.Scheduler.Now.Picoseconds) : long.MaxValue;
        if (port.Owner.Ptp.ForwardsAnsweredRequests) earliest = Math.Min(earliest, ForwardedRequestBoundPs(port));
        foreach (ref readonly var pending in _partition.Scheduler.Pending)
        {
            bool mayRequest = pending.SourceIndex == port.Owner.Index
                && ((pending.Class == EventClass.PtpTimer && pending.Argument == port.LocalIndex)
                    // A client may inject any bytes, a peer-delay request among them.
                    || (pending.Class == EventClass.Injection && port.Owner is Host));
            if (mayRequest && pending.Time < earliest) earliest = pending.Time;
        }
        if (port.Owner is Host) earliest = Math.Min(earliest, LiveInputPs);
        if (earliest == long.MaxValue) return long.MaxValue;
        return Math.Max(earliest, port.BusyUntil.Picoseconds) + channel.Lookahead.Picoseconds;
    }

    /// <summary>
    /// The earliest a request someone else sent could reach <paramref name="port"/> of a
    /// transparent clock to leave by it. Requests start only at PTP timers (or injections), so
    /// the bound is the earliest of: this partition's pending PTP timers and injections, any
    /// pending frame that is such a request, any port's queue that may hold one, and the
    /// reflect promises of the links into this partition, which bound the requests on their way
    /// from elsewhere; but not the link into <paramref name="port"/> itself, since a bridge never
    /// forwards a frame back out of its ingress port. None of these waits on an answer, so the
    /// bound does not creep by a lookahead per round as an ordinary promise would.
    /// </summary>
    private long ForwardedRequestBoundPs(Port port)
    {
        long earliest = long.MaxValue;
        foreach (ref readonly var pending in _partition.Scheduler.Pending)
        {
            if (pending.Time >= earliest) continue;
            bool mayCarry = pending.Class switch
            {
                EventClass.PtpTimer or EventClass.Injection => true,
                EventClass.TransmitComplete or EventClass.GateControl or EventClass.GateScheduleInstall or EventClass.TxCompletion
                    or EventClass.RxDispatch => _portByGlobalIndex.TryGetValue(pending.SourceIndex, out var busy) && busy.QueuedRequests > 0,
                EventClass.FrameArrival or EventClass.Forward => pending.Frame is { } frame && Ptp.Messages.PtpFrame.IsAnsweredOnIngress(frame.Bytes),
                _ => false,
            };
            if (mayCarry) earliest = pending.Time;
        }
        foreach (var link in _partition.InboundLinks)
            if (link.Destination != port && link.ReflectPromisedPs < earliest) earliest = link.ReflectPromisedPs;
        return Math.Min(earliest, LiveInputPs);
    }

    /// <summary>Could this pending event make <paramref name="port"/> start a transmission?</summary>
    private bool CanLeadTo(in ScheduledEvent pending, Port port) => pending.Class switch
    {
        EventClass.TransmitComplete => _portByGlobalIndex.TryGetValue(pending.SourceIndex, out var p) && (p == port || p.Owner != port.Owner),
        EventClass.FrameArrival => !_arrivalPortByDirection.TryGetValue(pending.SourceIndex, out var q) || CanReach(q, port)
            || (q == port && port.Owner.Ptp is { } ptp && pending.Frame is { } frame && ptp.AnswersOnIngress(frame.Bytes)),
        // The grandmaster's Sync timer (argument −1) sends on every port; a peer-delay timer on its own port only.
        EventClass.PtpTimer => pending.SourceIndex != port.Owner.Index || pending.Argument < 0 || pending.Argument == port.LocalIndex,
        EventClass.Forward => !_portByGlobalIndex.TryGetValue(pending.SourceIndex, out var ingress) || CanReach(ingress, port),
        EventClass.Talker => !_talkerPortByStream.TryGetValue(pending.SourceIndex, out var t) || t == port || t.Owner != port.Owner,
        EventClass.ClockSample or EventClass.RssChange or EventClass.PowerState => false,
        // A host's stack answers ARP and NS after its core serves them, out of the port they came in by.
        EventClass.RxDispatch or EventClass.RscFlush => pending.SourceIndex == port.GlobalIndex,
        // A Tx completion frees a descriptor: what the host stack held for that port's NIC goes.
        EventClass.TxCompletion => pending.SourceIndex == port.GlobalIndex,
        // A port's gates opening sends what waits on that port only.
        EventClass.GateControl or EventClass.GateScheduleInstall => _portByGlobalIndex.TryGetValue(pending.SourceIndex, out var gated) && gated == port,
        _ => true,
    };

    /// <summary>Could a frame arriving on <paramref name="ingress"/> make <paramref name="egress"/> transmit?</summary>
    private static bool CanReach(Port ingress, Port egress) =>
        ingress.Owner != egress.Owner || ingress.Owner.CanForward(ingress.LocalIndex, egress.LocalIndex);
}
