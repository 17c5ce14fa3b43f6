using TsnSim.Core.Engine;
using TsnSim.Core.Frames;
using TsnSim.Core.Links;
using TsnSim.Core.Time;
using TsnSim.Core.Tracing;

namespace TsnSim.Core.Nic;

/// <summary>
/// A host port's multi-queue NIC; this is its receive side, <see cref="Transmitter"/> its transmit side. A frame that passed the MAC filter is
/// parsed; the first steering rule that matches, else RSS, picks its Rx queue; it takes a
/// descriptor of that queue's ring and buffers from the pool (or is dropped and counted when
/// either is exhausted: never lost unseen); its Rx completion (timestamp, hash, hash type,
/// queue) is posted, and the queue's core serves it after what the core already has, for the
/// per-packet and per-byte cost. Only then does the host stack see it, so the latency an
/// application measures includes the wait and the service.
/// </summary>
public sealed class MultiQueueNic : IEventHandler, IRscSink
{
    private readonly Port _port;
    private readonly IPacketConsumer _consumer;
    private readonly HostCpu _cpu;
    private readonly RxQueue[] _queues;
    private readonly CoreTally[] _cores;
    private readonly long[] _hashTypeCounts = new long[RssHashTypeNames.Each.Count + 1];
    private readonly List<NicChange> _pendingChanges = [];
    private readonly ReceiveSegmentCoalescer?[] _coalescers;
    private readonly HostPower _power;
    // Units handed to a core, by id: their segments leave together when it has served them.
    private readonly Dictionary<long, List<Frame>> _posted = [];
    private readonly Stack<List<Frame>> _spareLists = new();
    private long _nextPosted = 1;
    private readonly EventSource _dispatch;
    private readonly EventSource _changes;
    private readonly EventSource _flushes;

    public MultiQueueNic(Port port, NicConfig config, HostCpu cpu, HostPower power, IPacketConsumer consumer, Scheduler scheduler)
    {
        _power = power;
        Responder = config.Addresses.Count > 0 ? new NeighborResponder(port.Owner.Config.Mac, config.Addresses) : null;
        _port = port;
        Config = config;
        _cpu = cpu;
        _consumer = consumer;
        _queues = Enumerable.Range(0, config.RxQueues).Select(q => new RxQueue(q, config.CoreOf(q))).ToArray();
        _cores = Enumerable.Range(0, cpu.Cores).Select(c => new CoreTally(c)).ToArray();
        Pool = new PacketBufferPool(config.BufferCount, config.BufferSize);
        Rss = new RssClassifier(config.Rss);
        Rules = config.Rules;
        _dispatch = new EventSource(scheduler, EventClass.RxDispatch, port.GlobalIndex);
        _changes = new EventSource(scheduler, EventClass.RssChange, port.GlobalIndex);
        _flushes = new EventSource(scheduler, EventClass.RscFlush, port.GlobalIndex);
        _coalescers = _queues.Select(q => config.Rsc is { } rsc && rsc.CoversQueue(q.Index)
            ? new ReceiveSegmentCoalescer(q.Index, rsc.Contexts, config.RingSize, this) : null).ToArray();
        Transmitter = new NicTransmitter(port, config, cpu, Pool, _cores, scheduler);
        port.AttachTransmitter(Transmitter);
        // The topology's changes are accepted before anything else can be: a client's change due at
        // the same instant then comes after them, whether it arrives live or from a replayed log.
        foreach (var change in config.RssChanges) AcceptChange(change);
        foreach (var change in config.RuleChanges) AcceptChange(change);
    }

    /// <summary>The NIC's transmit side: its Tx queues over the same pool and cores.</summary>
    public NicTransmitter Transmitter { get; }

    /// <summary>The coalescer of Rx queue <paramref name="queue"/>, when RSC is on there.</summary>
    public ReceiveSegmentCoalescer? CoalescerOf(int queue) => _coalescers[queue];

    public NicConfig Config { get; }

    /// <summary>Answers ARP and NS for the host's addresses; null when it has none.</summary>
    public NeighborResponder? Responder { get; }

    public NeighborCounters Neighbors { get; } = new();
    public RssClassifier Rss { get; }

    /// <summary>The steering rules in force, tried in order ahead of RSS: the topology's, until a rule change replaces them.</summary>
    public IReadOnlyList<FlowRule> Rules { get; private set; }
    public PacketBufferPool Pool { get; }
    public IReadOnlyList<RxQueue> Queues => _queues;

    /// <summary>The cores' work for this NIC, the cores its queues do not use included.</summary>
    public IReadOnlyList<CoreTally> Cores => _cores;

    /// <summary>Packets per hash type: index 0 not hashed, then in <see cref="RssHashTypeNames.Each"/>'s order.</summary>
    public IReadOnlyList<long> HashTypeCounts => _hashTypeCounts;

    /// <summary>
    /// Takes a key and/or table change, or a new list of steering rules, at its time (from the
    /// topology or the traffic API); changes due at one instant apply in acceptance order.
    /// </summary>
    public void AcceptChange(NicChange change)
    {
        _pendingChanges.Add(change);
        _changes.Schedule(change.At, this, argument: _pendingChanges.Count - 1);
    }

    public void Receive(Frame frame, SimTime arrival)
    {
        var bytes = frame.Bytes;
        var headers = PacketParser.Parse(bytes);
        if (_power.Asleep && !WhileAsleep(frame, headers, arrival)) return;
        int queue = -1;
        foreach (var rule in Rules)
            if (rule.Matches(bytes, headers)) { queue = rule.Queue; break; }
        bool steered = queue >= 0;
        uint hash = 0;
        var type = RssHashType.None;
        if (!steered) (hash, type, queue) = Rss.Classify(bytes, headers);
        var rx = _queues[queue];
        if (rx.Occupancy >= Config.RingSize)
        {
            rx.RingDrops++;
            Drop(frame, arrival, $"Rx queue {queue}'s ring is full ({Config.RingSize} descriptors in use)");
            return;
        }
        int buffers = Pool.BuffersFor(frame.LengthWithFcs);
        if (!Pool.TryTake(buffers))
        {
            rx.BufferDrops++;
            Drop(frame, arrival, $"the packet buffer pool has fewer than {buffers} free buffers ({Pool.InUse} of {Pool.Count} in use)");
            return;
        }
        if (++rx.Occupancy > rx.MaxOccupancy) rx.MaxOccupancy = rx.Occupancy;
        rx.Frames++;
        rx.Bytes += frame.LengthWithFcs;
        if (steered) rx.Steered++;
        rx.SawFlow(FlowKey(bytes, headers));
        _hashTypeCounts[IndexOf(type)]++;
        frame.RxCompletion = new RxCompletion(frame.RxTimestamp, hash, type, queue, steered);
        if (_coalescers[queue] is { } coalescer && headers.IsTcp) coalescer.Offer(frame, headers, arrival.Picoseconds);
        else Post(rx, frame, null, frame.LengthWithFcs, arrival.Picoseconds);
    }

    /// <summary>
    /// Posts a packet on its queue's completion queue at <paramref name="postedPs"/>: its core
    /// serves it after what it already has, for the per-packet cost and the per-byte cost of
    /// <paramref name="bytes"/>. A coalesced unit is one packet to the core; its segments
    /// (<paramref name="unit"/>) leave for the host stack together.
    /// </summary>
    private void Post(RxQueue rx, Frame frame, List<Frame>? unit, int bytes, long postedPs)
    {
        long cost = Config.PerPacketCost.Picoseconds + Config.PerByteCost.Picoseconds * bytes;
        long start = _cpu.Serve(rx.Core, postedPs, cost);
        long wait = start - postedPs;
        rx.WaitTotalPs += wait;
        if (wait > rx.WaitMaxPs) rx.WaitMaxPs = wait;
        rx.Indications++;
        var tally = _cores[rx.Core];
        tally.Packets++;
        tally.BusyPs += cost;
        long id = 0;
        if (unit is not null) _posted.Add(id = _nextPosted++, unit);
        _dispatch.Schedule(new SimTime(start + cost), this, frame, argument: id << 8 | (uint)rx.Index);
    }

    public void Indicate(int queue, CoalescedUnit unit, long atPs)
    {
        var rx = _queues[queue];
        if (unit.Segments.Count == 1)
        {
            Post(rx, unit.Segments[0], null, unit.Segments[0].LengthWithFcs, atPs);
            return;
        }
        int bytes = unit.Build().Length + Ethernet.FcsBytes;
        int coalesced = unit.Segments.Count - unit.DuplicateAcks;
        rx.RscUnits++;
        rx.RscSegments += coalesced;
        rx.RscDuplicateAcks += unit.DuplicateAcks;
        var first = unit.Segments[0];
        first.RxCompletion = first.RxCompletion with { CoalescedSegments = coalesced, DuplicateAcks = unit.DuplicateAcks };
        var segments = _spareLists.TryPop(out var spare) ? spare : new List<Frame>(Config.RingSize);
        segments.AddRange(unit.Segments);
        Post(rx, first, segments, bytes, atPs);
    }

    public void IndicateAlone(int queue, Frame segment, RscException why, long atPs) => Post(_queues[queue], segment, null, segment.LengthWithFcs, atPs);

    public void Opened(int queue, int context, long generation, long atPs)
    {
        var timeout = Config.Rsc!.FlushTimeout.Picoseconds;
        _flushes.Schedule(new SimTime(atPs + timeout), this, argument: generation << 16 | (long)context << 8 | (uint)queue);
    }

    public void OnEvent(in ScheduledEvent scheduled)
    {
        switch (scheduled.Class)
        {
            case EventClass.RssChange:
                switch (_pendingChanges[(int)scheduled.Argument])
                {
                    case RssChange rss: Rss.Apply(rss.Key, rss.Table); break;
                    case FlowRuleChange rules: Rules = rules.Rules; break;
                }
                return;
            case EventClass.RscFlush:
                _coalescers[scheduled.Argument & 0xFF]!.Flush((int)(scheduled.Argument >> 8 & 0xFF), scheduled.Argument >> 16, scheduled.At.Picoseconds);
                return;
        }
        var rx = _queues[scheduled.Argument & 0xFF];
        long id = scheduled.Argument >> 8;
        if (id == 0)
        {
            Release(rx, scheduled.Frame!);
            _consumer.Consume(_port, scheduled.Frame!, scheduled.At);
            return;
        }
        var segments = _posted[id];
        _posted.Remove(id);
        foreach (var segment in segments) Release(rx, segment);
        foreach (var segment in segments) _consumer.Consume(_port, segment, scheduled.At);
        segments.Clear();
        _spareLists.Push(segments);
    }

    private void Release(RxQueue rx, Frame frame)
    {
        rx.Occupancy--;
        Pool.Release(Pool.BuffersFor(frame.LengthWithFcs));
        Transmitter.BuffersFreed();
    }

    /// <summary>
    /// A frame for a sleeping host: the NIC answers an ARP request or Neighbor Solicitation for
    /// the host's addresses itself (ARP and NS offload); a frame matching a wake pattern wakes
    /// the host and goes on to it; anything else is dropped and counted. True when the frame goes on.
    /// </summary>
    private bool WhileAsleep(Frame frame, in PacketHeaders headers, SimTime arrival)
    {
        if (Answer(frame, offloaded: true)) return false;
        foreach (var pattern in Config.WakePatterns)
            if (pattern.Matches(frame.Bytes, headers))
            {
                _power.State = PowerState.D0;
                _power.Wakes++;
                return true;
            }
        Neighbors.AsleepDrops++;
        Drop(frame, arrival, "the host is asleep (D3) and the frame is neither ARP nor NS for it nor a wake pattern");
        return false;
    }

    /// <summary>Answers <paramref name="request"/> if it is an ARP request or NS for the host's addresses: the reply goes out of this port and the request is consumed.</summary>
    public bool Answer(Frame request, bool offloaded)
    {
        if (Responder is null) return false;
        Span<byte> reply = stackalloc byte[NeighborResponder.MaxReplyBytes];
        var (kind, length) = Responder.Answer(request.Bytes, reply);
        if (kind == NeighborReply.None) return false;
        Neighbors.Count(kind, offloaded);
        var context = _port.Owner.Context;
        var answer = context.Pool.Rent(length);
        reply[..length].CopyTo(answer.Buffer);
        answer.Length = length;
        answer.Id = ((Nodes.Host)_port.Owner).ReplyFrameId();
        answer.CreatedAt = _port.Owner.Context.Scheduler.Now;
        if (request.Trace is { } trace) TraceHops.Delivered((Nodes.Host)_port.Owner, request, trace, answer.CreatedAt, SimTime.Zero);
        context.Pool.Return(request);
        _port.Enqueue(answer);
        return true;
    }

    private void Drop(Frame frame, SimTime at, string reason)
    {
        if (frame.Trace is { } trace) TraceHops.Dropped(_port.Owner, frame, trace, at, reason, _port);
        _port.Owner.Context.Pool.Return(frame);
    }

    private static int IndexOf(RssHashType type)
    {
        if (type == RssHashType.None) return 0;
        for (int i = 0; i < RssHashTypeNames.Each.Count; i++)
            if (RssHashTypeNames.Each[i].Type == type) return i + 1;
        return 0;
    }

    /// <summary>A flow's identity for counting distinct flows: FNV-1a over its addresses, protocol and ports, or its EtherType and source MAC when it is not IP.</summary>
    private static ulong FlowKey(ReadOnlySpan<byte> frame, in PacketHeaders headers)
    {
        ulong key = 14695981039346656037UL;
        void Mix(ReadOnlySpan<byte> bytes, ref ulong k) { foreach (var b in bytes) k = (k ^ b) * 1099511628211UL; }
        if (headers.IpVersion == 0)
        {
            Mix(frame.Slice(6, Math.Min(6, Math.Max(0, frame.Length - 6))), ref key);
            return (key ^ headers.EtherType) * 1099511628211UL;
        }
        Mix(frame.Slice(headers.AddressOffset, headers.AddressBytes), ref key);
        key = (key ^ headers.Protocol) * 1099511628211UL;
        if (headers.TransportOffset >= 0) Mix(frame.Slice(headers.TransportOffset, 4), ref key);
        return key;
    }
}
