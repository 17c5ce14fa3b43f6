using TsnSim.Core.Distributed;
using TsnSim.Core.Frames;
using TsnSim.Protos.Link;

namespace TsnSim.Hosting;

/// <summary>Turns a partition's outgoing batches into link messages and applies incoming ones.</summary>
public static class LinkMessages
{
    /// <summary>
    /// Packed frames per message at most: messages stay under the runtime's large-object
    /// threshold (85,000 bytes), and a wide window on a fast link never makes one message too
    /// large for the transport.
    /// </summary>
    public const int MaxPackedBytes = 64 << 10;

    /// <summary>
    /// Serialises the batch, in as many messages as its frames need, and gives the frames back
    /// to <paramref name="pool"/>. The promises and the horizon ride on the last message, after
    /// every frame they cover. Frames travel packed (<see cref="PackedFrames"/>);
    /// <c>LinkBatch.frames</c> is there for frames that will carry a trace context.
    /// </summary>
    public static IEnumerable<LinkMessage> ToMessages(PeerBatch batch, FramePool pool)
    {
        var chunk = new List<OutboundFrame>();
        int bytes = 0;
        for (int i = 0; i < batch.Frames.Count; i++)
        {
            var frame = batch.Frames[i];
            int size = PackedFrames.RecordSize(frame.Frame);
            if (chunk.Count > 0 && bytes + size > MaxPackedBytes)
            {
                yield return FramesOnly(chunk, pool);
                chunk.Clear();
                bytes = 0;
            }
            chunk.Add(frame);
            bytes += size;
        }
        var last = chunk.Count > 0 ? FramesOnly(chunk, pool) : new LinkMessage { Batch = new LinkBatch() };
        foreach (var (link, until) in batch.Promises) last.Batch.Promises.Add(new TimePromise { Link = link, UntilPs = until });
        if (batch.HorizonPs is { } horizon) last.Batch.HorizonPs = horizon;
        yield return last;
    }

    private static LinkMessage FramesOnly(List<OutboundFrame> frames, FramePool pool)
    {
        var message = new LinkMessage { Batch = new LinkBatch { PackedFrames = PackedFrames.Pack(frames) } };
        foreach (var f in frames) pool.Return(f.Frame);
        return message;
    }

    /// <summary>Applies a batch from <paramref name="peer"/>: frames first, then promises, then the horizon.</summary>
    public static void Apply(LinkBatch batch, string peer, ConservativeSynchronizer sync)
    {
        PackedFrames.Deliver(batch.PackedFrames.Span, sync, peer);
        foreach (var f in batch.Frames)
        {
            var meta = f.Meta ?? new FrameMeta { Stream = -1 };
            sync.Inbound(f.Link).Deliver(f.Data.Span, f.DeliverAtPs, f.Sequence, f.TransmitStartPs, meta.FrameId, meta.Stream, meta.Sequence, meta.CreatedAtPs);
        }
        foreach (var p in batch.Promises) sync.Inbound(p.Link).Promise(p.UntilPs);
        if (batch.HasHorizonPs) sync.SetPeerHorizon(peer, batch.HorizonPs);
    }
}
