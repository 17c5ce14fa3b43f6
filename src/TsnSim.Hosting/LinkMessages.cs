using TsnSim.Core.Distributed;
using Google.Protobuf;
using TsnSim.Core.Frames;
using TsnSim.Core.Tracing;
using TsnSim.Hosting.Tracing;
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
    /// every frame they cover. Frames travel packed (<see cref="PackedFrames"/>), except traced
    /// ones, which go as <c>LinkBatch.frames</c> with their trace context. A message's packed
    /// frames are applied before its <c>frames</c>, so a traced frame closes its message: frames
    /// of one link direction reach the far side in the order they were sent.
    /// </summary>
    public static IEnumerable<LinkMessage> ToMessages(PeerBatch batch, FramePool pool)
    {
        var chunk = new List<OutboundFrame>();
        int bytes = 0;
        LinkBatch? traced = null;
        for (int i = 0; i < batch.Frames.Count; i++)
        {
            var frame = batch.Frames[i];
            int size = PackedFrames.RecordSize(frame.Frame);
            if (frame.Frame.Trace is { } trace)
            {
                if ((chunk.Count > 0 || traced is not null) && bytes + size > MaxPackedBytes)
                {
                    yield return Message(chunk, traced, pool);
                    chunk.Clear();
                    bytes = 0;
                    traced = null;
                }
                (traced ??= new LinkBatch()).Frames.Add(Traced(frame, trace));
                pool.Return(frame.Frame);
                bytes += size;
                continue;
            }
            if (traced is not null || (chunk.Count > 0 && bytes + size > MaxPackedBytes))
            {
                yield return Message(chunk, traced, pool);
                chunk.Clear();
                bytes = 0;
                traced = null;
            }
            chunk.Add(frame);
            bytes += size;
        }
        var last = Message(chunk, traced, pool);
        foreach (var (link, until, reflect, novelty) in batch.Promises)
        {
            var promise = new TimePromise { Link = link, UntilPs = until };
            if (reflect != until) promise.ReflectUntilPs = reflect;
            if (novelty != until) promise.NoveltyUntilPs = novelty;
            last.Batch.Promises.Add(promise);
        }
        if (batch.HorizonPs is { } horizon) last.Batch.HorizonPs = horizon;
        yield return last;
    }

    private static LinkMessage Message(List<OutboundFrame> packed, LinkBatch? traced, FramePool pool)
    {
        var batch = traced ?? new LinkBatch();
        if (packed.Count > 0) batch.PackedFrames = PackedFrames.Pack(packed);
        foreach (var f in packed) pool.Return(f.Frame);
        return new LinkMessage { Batch = batch };
    }

    private static LinkFrame Traced(OutboundFrame f, FrameTrace trace)
    {
        var frame = f.Frame;
        var message = new LinkFrame
        {
            Link = f.Link,
            DeliverAtPs = f.DeliverAtPs,
            Sequence = f.Sequence,
            TransmitStartPs = f.TransmitStartPs,
            Data = ByteString.CopyFrom(frame.Bytes),
            Meta = new FrameMeta { FrameId = frame.Id, Stream = frame.StreamIndex, Sequence = frame.Sequence, CreatedAtPs = frame.CreatedAt.Picoseconds, GateWaitPs = frame.GateWait.Picoseconds },
        };
        TraceContextMap.Write(trace, message.TraceContext);
        return message;
    }

    /// <summary>Applies a batch from <paramref name="peer"/>: frames first, then promises, then the horizon.</summary>
    public static void Apply(LinkBatch batch, string peer, ConservativeSynchronizer sync)
    {
        PackedFrames.Deliver(batch.PackedFrames.Span, sync, peer);
        foreach (var f in batch.Frames)
        {
            var meta = f.Meta ?? new FrameMeta { Stream = -1 };
            sync.Inbound(f.Link).Deliver(f.Data.Span, f.DeliverAtPs, f.Sequence, f.TransmitStartPs, meta.FrameId, meta.Stream, meta.Sequence, meta.CreatedAtPs, meta.GateWaitPs,
                TraceContextMap.Read(f.TraceContext, new Core.Time.SimTime(meta.CreatedAtPs)));
        }
        foreach (var p in batch.Promises)
            sync.Inbound(p.Link).Promise(new LinkPromise(p.Link, p.UntilPs, p.HasReflectUntilPs ? p.ReflectUntilPs : p.UntilPs, p.HasNoveltyUntilPs ? p.NoveltyUntilPs : p.UntilPs));
        if (batch.HasHorizonPs) sync.SetPeerHorizon(peer, batch.HorizonPs);
    }
}
