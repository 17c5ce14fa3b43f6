using TsnSim.Core.Engine;
using TsnSim.Core.Frames;
using TsnSim.Core.Links;
using TsnSim.Core.Time;

namespace TsnSim.Core.Nic;

/// <summary>
/// The transmit side of a host port's multi-queue NIC. The host stack submits each packet on
/// the Tx queue its traffic class and flow pick (<see cref="Tsn.TransmissionSelection.TxQueueOf"/>):
/// it takes a descriptor of that queue's ring and buffers from the pool, and the port's
/// transmission selection (classes, gates, shapers) arbitrates between the queues. When its last
/// bit has left, the NIC posts a Tx completion carrying the Tx timestamp; the queue's core serves
/// it, for the per-packet and per-byte cost, and only then are the descriptor and buffers free
/// and the timestamp the application's. While the ring or the pool is full, the host stack holds
/// the application's packets for that queue (backpressure) up to <see cref="NicConfig.TxBacklog"/>,
/// and drops and counts one more: nothing is lost unseen.
/// </summary>
public sealed class NicTransmitter : IEventHandler
{
    private const long PostTransmitted = 0;
    private const long PostDiscarded = 1;
    private const long ReclaimBase = 2;

    private readonly Port _port;
    private readonly NicConfig _config;
    private readonly HostCpu _cpu;
    private readonly PacketBufferPool _pool;
    private readonly IReadOnlyList<CoreTally> _cores;
    private readonly TxQueue[] _queues;
    private readonly EventSource _completions;
    // Completions to post, in the order their events come: transmissions in wire order (each at its last bit), discards in the order they happened.
    private readonly Queue<TxCompletion> _onWire = new();
    private readonly Queue<TxCompletion> _discards = new();
    // Per Tx queue, completions its core is serving, in order (one core serves a queue, first come first served).
    private readonly Queue<TxCompletion>[] _serving;
    // Packets the host stack holds over all queues.
    private int _backlogged;
    private int _nextFreed;

    public NicTransmitter(Port port, NicConfig config, HostCpu cpu, PacketBufferPool pool, IReadOnlyList<CoreTally> cores, Scheduler scheduler)
    {
        _port = port;
        _config = config;
        _cpu = cpu;
        _pool = pool;
        _cores = cores;
        _queues = Enumerable.Range(0, config.TxQueues).Select(q => new TxQueue(q, config.TxCoreOf(q))).ToArray();
        _serving = _queues.Select(_ => new Queue<TxCompletion>()).ToArray();
        _completions = new EventSource(scheduler, EventClass.TxCompletion, port.GlobalIndex);
    }

    public IReadOnlyList<TxQueue> Queues => _queues;

    /// <summary>The host stack hands a packet to the NIC at <paramref name="now"/>: onto its Tx queue's ring, or into the stack's backlog for that queue.</summary>
    public void Submit(Frame frame, SimTime now)
    {
        int q = frame.TxQueue = _port.Classes!.TxQueueOf(frame);
        var tx = _queues[q];
        if (_pool.BuffersFor(frame.LengthWithFcs) > _pool.Count)
        {
            // It would wait for ever and hold up its queue: as on the receive side, it is dropped and counted.
            tx.BufferDrops++;
            _port.DropWaiting(frame, $"a {frame.LengthWithFcs}-byte frame needs more buffers than the pool has ({_pool.Count} of {_pool.BufferSize} bytes)");
            return;
        }
        // Nothing overtakes a packet already waiting for the same queue.
        if (tx.Backlog.Count == 0 && TryTakeDescriptor(tx, frame))
        {
            _port.Admit(frame);
            return;
        }
        if (tx.Backlog.Count >= _config.TxBacklog)
        {
            tx.BacklogDrops++;
            _port.DropWaiting(frame, $"the host stack already holds {tx.Backlog.Count} packets for Tx queue {q} (its ring or the buffer pool is full)");
            return;
        }
        tx.Waited++;
        _backlogged++;
        tx.Backlog.Enqueue((frame, now.Picoseconds));
        if (tx.Backlog.Count > tx.BacklogMax) tx.BacklogMax = tx.Backlog.Count;
    }

    private bool TryTakeDescriptor(TxQueue tx, Frame frame)
    {
        if (tx.Occupancy >= _config.TxRingSize || !_pool.TryTake(_pool.BuffersFor(frame.LengthWithFcs))) return false;
        if (++tx.Occupancy > tx.MaxOccupancy) tx.MaxOccupancy = tx.Occupancy;
        tx.Frames++;
        tx.Bytes += frame.LengthWithFcs;
        return true;
    }

    /// <summary>
    /// The port starts sending a submitted packet; its completion, which carries the packet's Tx
    /// timestamp, is posted when the last bit has left (<paramref name="lastBit"/>). True when
    /// the host stack hands that timestamp to the packet's application, which asked for it; a
    /// PTP stack reads its timestamps at once, as ptp4l reads the PHC's timestamp registers.
    /// </summary>
    public bool Started(Frame frame, SimTime lastBit, SimTime timestamp)
    {
        bool forApplication = frame.WantsTxTimestamp && (uint)frame.StreamIndex < (uint)_port.Owner.Context.Streams.Count;
        _onWire.Enqueue(CompletionOf(frame, timestamp.Picoseconds, forApplication));
        _completions.Schedule(lastBit, this, argument: PostTransmitted);
        return forApplication;
    }

    /// <summary>The port dropped a submitted packet (its launch time passed): its completion is posted now, without a timestamp.</summary>
    public void Discarded(Frame frame, SimTime now)
    {
        _queues[frame.TxQueue].Discarded++;
        _discards.Enqueue(CompletionOf(frame, -1, forApplication: false));
        _completions.Schedule(now, this, argument: PostDiscarded);
    }

    private static TxCompletion CompletionOf(Frame frame, long timestampPs, bool forApplication) =>
        new(frame.TxQueue, frame.LengthWithFcs, frame.StreamIndex, frame.HandedOverAt.Picoseconds, timestampPs, forApplication);

    /// <summary>The completion the host reclaimed last (what a driver's completion handler last saw).</summary>
    internal TxCompletion? LastReclaimed { get; private set; }

    /// <summary>Buffers came free on the receive side: packets waiting for the pool may go.</summary>
    public void BuffersFreed()
    {
        if (_backlogged == 0) return;
        // The queue that goes first takes turns, so that no queue waiting for the pool is always served last.
        _nextFreed = (_nextFreed + 1) % _queues.Length;
        SubmitWaiting(_nextFreed);
    }

    public void OnEvent(in ScheduledEvent scheduled)
    {
        long now = scheduled.At.Picoseconds;
        switch (scheduled.Argument)
        {
            case PostTransmitted: Post(_onWire.Dequeue(), now); return;
            case PostDiscarded: Post(_discards.Dequeue(), now); return;
        }
        int q = (int)(scheduled.Argument - ReclaimBase);
        Reclaim(_serving[q].Dequeue(), now);
    }

    /// <summary>The completion goes on its queue's completion queue: the queue's core serves it after what it already has.</summary>
    private void Post(TxCompletion completion, long nowPs)
    {
        var tx = _queues[completion.Queue];
        long cost = _config.TxPerPacketCost.Picoseconds + _config.TxPerByteCost.Picoseconds * completion.Bytes;
        long start = _cpu.Serve(tx.Core, nowPs, cost);
        long wait = start - nowPs;
        tx.CompletionWaitTotalPs += wait;
        if (wait > tx.CompletionWaitMaxPs) tx.CompletionWaitMaxPs = wait;
        var tally = _cores[tx.Core];
        tally.Packets++;
        tally.BusyPs += cost;
        // At once when nothing of this queue is still being served (completions of a queue are reclaimed in order).
        if (start + cost == nowPs && _serving[completion.Queue].Count == 0)
        {
            Reclaim(completion, nowPs);
            return;
        }
        _serving[completion.Queue].Enqueue(completion);
        _completions.Schedule(new SimTime(start + cost), this, argument: ReclaimBase + completion.Queue);
    }

    /// <summary>The host has served the completion: descriptor and buffers are free, the application has its Tx timestamp, and what waited may go.</summary>
    private void Reclaim(TxCompletion completion, long nowPs)
    {
        var tx = _queues[completion.Queue];
        tx.Occupancy--;
        tx.Completions++;
        _pool.Release(_pool.BuffersFor(completion.Bytes));
        LastReclaimed = completion;
        if (completion.ForApplication)
            ((Nodes.Host)_port.Owner).OnTxTimestamp(completion.Stream, new SimTime(completion.HandedOverPs), new SimTime(completion.TimestampPs));
        SubmitWaiting(completion.Queue);
    }

    /// <summary>Submits what the host stack holds, queue by queue from <paramref name="first"/>, each in its order, while descriptors and buffers last.</summary>
    private void SubmitWaiting(int first)
    {
        long now = _completions.Scheduler.Now.Picoseconds;
        for (int i = 0; i < _queues.Length; i++)
        {
            var tx = _queues[(first + i) % _queues.Length];
            while (tx.Backlog.TryPeek(out var waiting) && TryTakeDescriptor(tx, waiting.Frame))
            {
                tx.Backlog.Dequeue();
                _backlogged--;
                long wait = now - waiting.SincePs;
                tx.BacklogWaitTotalPs += wait;
                if (wait > tx.BacklogWaitMaxPs) tx.BacklogWaitMaxPs = wait;
                _port.Admit(waiting.Frame);
            }
        }
    }
}
