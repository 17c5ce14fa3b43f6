using System.Diagnostics;
using TsnSim.Core.Simulation;
using TsnSim.Core.Telemetry;
using TsnSim.Core.Time;
using TsnSim.Core.Topology;

namespace TsnSim.Core.Distributed;

/// <summary>
/// Runs a topology as several partitions in one process, exchanging frames and promises
/// through memory exactly as node processes do over gRPC, but in an order chosen by a
/// shuffle generator: the conservative protocol without sockets, for tests that show the
/// result does not depend on the layout or on the order messages arrive in.
/// </summary>
public static class InMemoryDistributedRun
{
    /// <param name="prepare">Runs on each partition once built, before its first event (to accept injections).</param>
    public static RunReport Execute(TopologyConfig topology, RunSettings settings, PartitionLayout layout, ulong shuffleSeed = 0, SimTime? window = null,
        Action<Partition>? prepare = null)
    {
        var end = settings.Duration + settings.Drain;
        var synchronizers = layout.Partitions
            .Select(name => PartitionBuilder.Build(topology, settings, layout, name))
            .Select(partition =>
            {
                prepare?.Invoke(partition);
                return new ConservativeSynchronizer(partition, end, window);
            })
            .ToDictionary(s => s.Partition.Name);
        var shuffle = new Engine.DeterministicRandom(shuffleSeed, "message-order");
        var wall = Stopwatch.StartNew();
        while (synchronizers.Values.Any(s => !s.Finished))
        {
            bool progress = false;
            // Messages of one round, per (sender, receiver): a stream keeps its own order, no more.
            var inFlight = new List<(string From, PeerBatch Batch)>();
            foreach (var name in layout.Partitions.OrderBy(_ => shuffle.NextUInt64()))
            {
                var sync = synchronizers[name];
                progress |= sync.Advance();
                foreach (var batch in sync.CollectOutgoing()) inFlight.Add((name, Copy(batch)));
            }
            foreach (var (from, batch) in inFlight.OrderBy(_ => shuffle.NextUInt64()))
            {
                progress = true;
                Deliver(synchronizers[batch.Peer], from, batch, synchronizers[from].Partition.Pool);
            }
            if (!progress)
                throw new InvalidOperationException("the partitions deadlocked: no event ran and no message moved in a whole round");
        }
        wall.Stop();
        var nodes = synchronizers.Values.SelectMany(s => s.Partition.Nodes).OrderBy(n => n.Index).ToList();
        long events = synchronizers.Values.Sum(s => s.Partition.ExecutedEvents);
        return RunReport.Build(topology, settings, "in-memory", nodes, events, wall.Elapsed);
    }

    private static PeerBatch Copy(PeerBatch batch)
    {
        var copy = new PeerBatch(batch.Peer) { HorizonPs = batch.HorizonPs };
        copy.Frames.AddRange(batch.Frames);
        copy.Promises.AddRange(batch.Promises);
        return copy;
    }

    /// <summary>Applies a batch as a receiving node process does: frames first, then promises, then the horizon.</summary>
    private static void Deliver(ConservativeSynchronizer target, string from, PeerBatch batch, Frames.FramePool senderPool)
    {
        foreach (var f in batch.Frames)
        {
            var frame = f.Frame;
            target.Inbound(f.Link).Deliver(frame.Bytes, f.DeliverAtPs, f.Sequence, f.TransmitStartPs, frame.Id, frame.StreamIndex, frame.Sequence, frame.CreatedAt.Picoseconds, frame.GateWait.Picoseconds, frame.Trace?.Fork());
            senderPool.Return(frame);
        }
        foreach (var promise in batch.Promises) target.Inbound(promise.Link).Promise(promise);
        if (batch.HorizonPs is { } horizon) target.SetPeerHorizon(from, horizon);
    }
}
