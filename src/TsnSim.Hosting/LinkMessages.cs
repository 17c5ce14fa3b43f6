using TsnSim.Core.Distributed;
using TsnSim.Core.Frames;
using TsnSim.Protos.Link;

namespace TsnSim.Hosting;

/// <summary>Turns a partition's outgoing batches into link messages and applies incoming ones.</summary>
public static class LinkMessages
{
    /// <summary>
    /// Serialises the batch and gives its frames back to <paramref name="pool"/>. Frames travel
    /// packed (<see cref="PackedFrames"/>); <c>LinkBatch.frames</c> is there for frames that
    /// will carry a trace context.
    /// </summary>
    public static LinkMessage ToMessage(PeerBatch batch, FramePool pool)
    {
        var proto = new LinkBatch();
        if (batch.Frames.Count > 0)
        {
            proto.PackedFrames = PackedFrames.Pack(batch.Frames);
            foreach (var f in batch.Frames) pool.Return(f.Frame);
        }
        foreach (var (link, until) in batch.Promises) proto.Promises.Add(new TimePromise { Link = link, UntilPs = until });
        if (batch.HorizonPs is { } horizon) proto.HorizonPs = horizon;
        return new LinkMessage { Batch = proto };
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
