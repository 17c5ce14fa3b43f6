using TsnSim.Core.Engine;
using TsnSim.Core.Frames;
using TsnSim.Core.Links;
using TsnSim.Core.Time;
using TsnSim.Core.Tracing;

namespace TsnSim.Core.Distributed;

/// <summary>
/// The receiving end of a link direction that starts in another partition. Frames that come in
/// become arrival events keyed by (delivery time, FrameArrival, direction index, sequence): the
/// same key a local channel would give them, so the order of events does not depend on when
/// or in what order the network delivered the messages.
/// </summary>
public sealed class InboundLink : IEventHandler
{
    private readonly Scheduler _scheduler;
    private readonly FramePool _pool;

    public InboundLink(int index, Port destination, int sourcePortIndex, string peerPartition, SimTime lookahead, Scheduler scheduler, FramePool pool)
    {
        Index = index;
        Destination = destination;
        SourcePortIndex = sourcePortIndex;
        PeerPartition = peerPartition;
        Lookahead = lookahead;
        _scheduler = scheduler;
        _pool = pool;
        // Nothing is sent before time zero, so nothing can arrive before one lookahead.
        PromisedPs = lookahead.Picoseconds;
        ReflectPromisedPs = PromisedPs;
        NoveltyPromisedPs = PromisedPs;
    }

    public int Index { get; }
    public Port Destination { get; }
    public int SourcePortIndex { get; }
    public string PeerPartition { get; }

    /// <summary>Propagation delay plus the shortest frame's time to its last bit.</summary>
    public SimTime Lookahead { get; }

    /// <summary>No frame will arrive on this direction before this time (ps).</summary>
    public long PromisedPs { get; private set; }

    /// <summary>No frame that makes this side answer back on the same link (a gPTP peer-delay request) before this time (ps); never below <see cref="PromisedPs"/>.</summary>
    public long ReflectPromisedPs { get; private set; }

    /// <summary>No frame from a source address not in <see cref="SourceAddresses"/> will arrive before this time (ps); never below <see cref="PromisedPs"/>.</summary>
    public long NoveltyPromisedPs { get; private set; }

    /// <summary>Frames delivered on this direction so far.</summary>
    public long Delivered { get; private set; }

    /// <summary>The source addresses (<see cref="Frames.MacAddress.Value"/>) of every frame delivered on this direction so far.</summary>
    public HashSet<ulong> SourceAddresses { get; } = [];

    public void Promise(long untilPs) => Promise(new LinkPromise(Index, untilPs, untilPs, untilPs));

    public void Promise(in LinkPromise promise)
    {
        if (promise.UntilPs > PromisedPs) PromisedPs = promise.UntilPs;
        ReflectPromisedPs = Math.Max(ReflectPromisedPs, Math.Max(promise.ReflectUntilPs, PromisedPs));
        NoveltyPromisedPs = Math.Max(NoveltyPromisedPs, Math.Max(promise.NoveltyUntilPs, PromisedPs));
    }

    /// <summary>
    /// Takes a frame from the peer. It must not arrive before the current time: the peer
    /// promised so, and a violation means the two sides disagree about the topology.
    /// </summary>
    public void Deliver(ReadOnlySpan<byte> bytes, long deliverAtPs, long sequence, long transmitStartPs, long frameId, int stream, long streamSequence, long createdAtPs, long gateWaitPs, FrameTrace? trace = null) =>
        Deliver(bytes, bytes.Length, deliverAtPs, sequence, transmitStartPs, frameId, stream, streamSequence, createdAtPs, gateWaitPs, trace);

    /// <summary>
    /// As above, for a frame of <paramref name="length"/> bytes sent without its trailing zeros:
    /// <paramref name="bytes"/> is its beginning and the rest is zero.
    /// </summary>
    public void Deliver(ReadOnlySpan<byte> bytes, int length, long deliverAtPs, long sequence, long transmitStartPs, long frameId, int stream, long streamSequence, long createdAtPs, long gateWaitPs, FrameTrace? trace = null)
    {
        // Earlier than promised means this partition may already have run past it: a broken promise,
        // which would silently make the run differ from the single-process one. Refuse it loudly.
        if (deliverAtPs < PromisedPs || (!_scheduler.HasLanes && deliverAtPs < _scheduler.Now.Picoseconds))
            throw new InvalidOperationException(
                $"a frame on link direction {Index} from partition '{PeerPartition}' is due at {new SimTime(deliverAtPs)}, before the promised {new SimTime(PromisedPs)}: a broken promise");
        if (length > _pool.Capacity || bytes.Length > length)
            throw new InvalidOperationException($"a frame of {length} bytes from partition '{PeerPartition}' exceeds the {_pool.Capacity}-byte maximum");
        var frame = _pool.Rent(length);
        bytes.CopyTo(frame.Buffer);
        frame.Buffer.AsSpan(bytes.Length, length - bytes.Length).Clear();
        frame.Length = length;
        // Checked on the whole frame: packed frames arrive without their trailing zeros.
        if (deliverAtPs < ReflectPromisedPs && Destination.Owner.Ptp is { } ptp && ptp.AnswersOnIngress(frame.Bytes))
        {
            _pool.Return(frame);
            throw new InvalidOperationException(
                $"a peer-delay request on link direction {Index} from partition '{PeerPartition}' is due at {new SimTime(deliverAtPs)}, before the promised {new SimTime(ReflectPromisedPs)}: a broken promise");
        }
        // One lookup for the usual frame, from an address this direction has carried before.
        ulong source = MacAddress.SourceOf(frame.Bytes);
        if (!SourceAddresses.Contains(source))
        {
            if (deliverAtPs < NoveltyPromisedPs)
            {
                _pool.Return(frame);
                throw new InvalidOperationException(
                    $"a frame from a new source address on link direction {Index} from partition '{PeerPartition}' is due at {new SimTime(deliverAtPs)}, before the promised {new SimTime(NoveltyPromisedPs)}: a broken promise");
            }
            SourceAddresses.Add(source);
        }
        frame.Id = frameId;
        frame.StreamIndex = stream;
        frame.Sequence = streamSequence;
        frame.GateWait = new SimTime(gateWaitPs);
        frame.CreatedAt = new SimTime(createdAtPs);
        frame.Trace = trace;
        _scheduler.Schedule(new ScheduledEvent(new SimTime(deliverAtPs), EventClass.FrameArrival, Index, sequence, this, frame, transmitStartPs));
        // A frame is itself a promise: the peer sends in order of transmission, so nothing earlier follows.
        Promise(deliverAtPs);
        Delivered++;
    }

    public void OnEvent(in ScheduledEvent scheduled) =>
        Destination.Arrive(scheduled.Frame!, SourcePortIndex, new SimTime(scheduled.Argument), scheduled.At);
}
