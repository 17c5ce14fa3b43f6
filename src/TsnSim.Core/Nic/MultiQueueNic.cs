using TsnSim.Core.Engine;
using TsnSim.Core.Frames;
using TsnSim.Core.Links;
using TsnSim.Core.Time;
using TsnSim.Core.Tracing;

namespace TsnSim.Core.Nic;

/// <summary>
/// The receive side of a host port's multi-queue NIC. A frame that passed the MAC filter is
/// parsed; the first steering rule that matches, else RSS, picks its Rx queue; it takes a
/// descriptor of that queue's ring and buffers from the pool (or is dropped and counted when
/// either is exhausted: never lost unseen); its Rx completion (timestamp, hash, hash type,
/// queue) is posted, and the queue's core serves it after what the core already has, for the
/// per-packet and per-byte cost. Only then does the host stack see it, so the latency an
/// application measures includes the wait and the service.
/// </summary>
public sealed class MultiQueueNic : IEventHandler
{
    private readonly Port _port;
    private readonly IPacketConsumer _consumer;
    private readonly HostCpu _cpu;
    private readonly RxQueue[] _queues;
    private readonly CoreTally[] _cores;
    private readonly long[] _hashTypeCounts = new long[RssHashTypeNames.Each.Count + 1];
    private readonly List<RssChange> _pendingChanges = [];
    private EventSource _dispatch;
    private EventSource _changes;

    public MultiQueueNic(Port port, NicConfig config, HostCpu cpu, IPacketConsumer consumer, Scheduler scheduler)
    {
        _port = port;
        Config = config;
        _cpu = cpu;
        _consumer = consumer;
        _queues = Enumerable.Range(0, config.RxQueues).Select(q => new RxQueue(q, config.CoreOf(q))).ToArray();
        _cores = Enumerable.Range(0, cpu.Cores).Select(c => new CoreTally(c)).ToArray();
        Pool = new PacketBufferPool(config.BufferCount, config.BufferSize);
        Rss = new RssClassifier(config.Rss);
        (_dispatch, _changes) = SourcesOn(scheduler);
    }

    public NicConfig Config { get; }
    public RssClassifier Rss { get; }
    public PacketBufferPool Pool { get; }
    public IReadOnlyList<RxQueue> Queues => _queues;

    /// <summary>The cores' work for this NIC, the cores its queues do not use included.</summary>
    public IReadOnlyList<CoreTally> Cores => _cores;

    /// <summary>Packets per hash type: index 0 not hashed, then in <see cref="RssHashTypeNames.Each"/>'s order.</summary>
    public IReadOnlyList<long> HashTypeCounts => _hashTypeCounts;

    /// <summary>
    /// Serves the NIC's events on <paramref name="scheduler"/>: the one the port's arrivals run
    /// on, so that dispatches and key changes keep their order with the arrivals in any layout.
    /// Called before the run starts.
    /// </summary>
    public void RunOn(Scheduler scheduler) => (_dispatch, _changes) = SourcesOn(scheduler);

    private (EventSource Dispatch, EventSource Changes) SourcesOn(Scheduler scheduler) =>
        (new EventSource(scheduler, EventClass.RxDispatch, _port.GlobalIndex), new EventSource(scheduler, EventClass.RssChange, _port.GlobalIndex));

    /// <summary>The scheduler the NIC's events run on: what a key change accepted while running must not precede.</summary>
    public Scheduler Scheduler => _dispatch.Scheduler;

    /// <summary>Schedules the topology's key and table changes. Called once, at time zero.</summary>
    public void Start()
    {
        foreach (var change in Config.RssChanges) AcceptRssChange(change);
    }

    /// <summary>Takes a key and/or table change at its time (from the topology or the traffic API), in acceptance order.</summary>
    public void AcceptRssChange(RssChange change)
    {
        _pendingChanges.Add(change);
        _changes.Schedule(change.At, this, argument: _pendingChanges.Count - 1);
    }

    public void Receive(Frame frame, SimTime arrival)
    {
        var bytes = frame.Bytes;
        var headers = PacketParser.Parse(bytes);
        int queue = -1;
        foreach (var rule in Config.Rules)
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

        long cost = Config.PerPacketCost.Picoseconds + Config.PerByteCost.Picoseconds * frame.LengthWithFcs;
        long start = _cpu.Serve(rx.Core, arrival.Picoseconds, cost);
        long wait = start - arrival.Picoseconds;
        rx.WaitTotalPs += wait;
        if (wait > rx.WaitMaxPs) rx.WaitMaxPs = wait;
        var tally = _cores[rx.Core];
        tally.Packets++;
        tally.BusyPs += cost;
        _dispatch.Schedule(new SimTime(start + cost), this, frame, argument: (long)buffers << 8 | (uint)queue);
    }

    public void OnEvent(in ScheduledEvent scheduled)
    {
        if (scheduled.Class == EventClass.RssChange)
        {
            var change = _pendingChanges[(int)scheduled.Argument];
            Rss.Apply(change.Key, change.Table);
            return;
        }
        var rx = _queues[scheduled.Argument & 0xFF];
        rx.Occupancy--;
        Pool.Release((int)(scheduled.Argument >> 8));
        _consumer.Consume(_port, scheduled.Frame!, scheduled.At);
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
