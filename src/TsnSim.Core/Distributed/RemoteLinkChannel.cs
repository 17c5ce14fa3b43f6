using TsnSim.Core.Frames;
using TsnSim.Core.Links;
using TsnSim.Core.Time;

namespace TsnSim.Core.Distributed;

/// <summary>
/// A link direction whose far port lives in another partition: each frame goes into the
/// outbox for that partition with its delivery time and the direction's running sequence,
/// which the far side uses as the arrival event's key, exactly as a local channel would.
/// </summary>
public sealed class RemoteLinkChannel(int index, Port source, int destinationPortIndex, string peerPartition, DataRate rate, SimTime delay)
    : LinkChannel(index, source, rate, delay)
{
    private readonly List<OutboundFrame> _outbox = [];
    private long _nextSequence;

    public string PeerPartition { get; } = peerPartition;

    public override int DestinationPortIndex { get; } = destinationPortIndex;

    /// <summary>The last promise sent on this direction, in ps; promises never go back.</summary>
    public long PromisedPs { get; internal set; }

    /// <summary>The last reflect promise sent (see <see cref="InboundLink.ReflectPromisedPs"/>).</summary>
    public long ReflectPromisedPs { get; internal set; }

    /// <summary>The last novelty promise sent (see <see cref="LinkPromise.NoveltyUntilPs"/>).</summary>
    public long NoveltyPromisedPs { get; internal set; }

    /// <summary>The source addresses of every frame sent on this direction so far.</summary>
    public HashSet<ulong> SentSources { get; } = [];

    public override void Carry(Frame frame, SimTime transmitStart, SimTime lastBitArrival)
    {
        SentSources.Add(MacAddress.SourceOf(frame.Bytes));
        _outbox.Add(new OutboundFrame(Index, lastBitArrival.Picoseconds, _nextSequence++, transmitStart.Picoseconds, frame));
    }

    /// <summary>Moves the frames sent since the last call into <paramref name="into"/>.</summary>
    public void DrainTo(List<OutboundFrame> into)
    {
        into.AddRange(_outbox);
        _outbox.Clear();
    }
}
