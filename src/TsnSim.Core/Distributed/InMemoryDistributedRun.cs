using System.Diagnostics;
using TsnSim.Core.Simulation;
using TsnSim.Core.Telemetry;
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
    private readonly record struct Message(string To, OutboundFrame? Frame, int Link, long PromisePs);

    public static RunReport Execute(TopologyConfig topology, RunSettings settings, PartitionLayout layout, ulong shuffleSeed = 0)
    {
        var end = settings.Duration + settings.Drain;
        var synchronizers = layout.Partitions
            .Select(name => new ConservativeSynchronizer(PartitionBuilder.Build(topology, settings, layout, name), end))
            .ToDictionary(s => s.Partition.Name);
        var shuffle = new Engine.DeterministicRandom(shuffleSeed, "message-order");
        var inFlight = new List<Message>();
        var frames = new List<OutboundFrame>();
        var promises = new List<RemoteLinkChannel>();
        var wall = Stopwatch.StartNew();
        while (synchronizers.Values.Any(s => !s.Finished) || inFlight.Count > 0)
        {
            bool progress = false;
            foreach (var name in layout.Partitions.OrderBy(_ => shuffle.NextUInt64()))
            {
                var sync = synchronizers[name];
                progress |= sync.Advance() > 0;
                frames.Clear();
                foreach (var channel in sync.Partition.RemoteChannels) channel.DrainTo(frames);
                foreach (var f in frames) inFlight.Add(new Message(PeerOf(sync, f.Link), f, f.Link, 0));
                promises.Clear();
                sync.CollectPromises(promises);
                foreach (var c in promises) inFlight.Add(new Message(c.PeerPartition, null, c.Index, c.PromisedPs));
            }
            // Deliver in a random order, but keep each link direction's messages in order, as a stream does.
            var batch = inFlight.GroupBy(m => m.Link).OrderBy(_ => shuffle.NextUInt64()).SelectMany(g => g).ToList();
            inFlight.Clear();
            foreach (var m in batch)
            {
                progress = true;
                var target = synchronizers[m.To];
                var link = target.Inbound(m.Link);
                Deliver(target, link, m, synchronizers);
            }
            if (!progress)
                throw new InvalidOperationException("the partitions deadlocked: no event ran and no message moved in a whole round");
        }
        wall.Stop();
        var nodes = synchronizers.Values.SelectMany(s => s.Partition.Nodes).OrderBy(n => n.Index).ToList();
        long events = synchronizers.Values.Sum(s => s.Partition.Scheduler.ExecutedEvents);
        return RunReport.Build(topology, settings, "in-memory", nodes, events, wall.Elapsed);
    }

    private static string PeerOf(ConservativeSynchronizer sync, int link) =>
        sync.Partition.RemoteChannels.First(c => c.Index == link).PeerPartition;

    private static void Deliver(ConservativeSynchronizer target, InboundLink link, Message m, Dictionary<string, ConservativeSynchronizer> all)
    {
        if (m.Frame is { } f)
        {
            var frame = f.Frame;
            link.Deliver(frame.Bytes, f.DeliverAtPs, f.Sequence, f.TransmitStartPs, frame.Id, frame.StreamIndex, frame.Sequence, frame.CreatedAt.Picoseconds);
            // The sender's pool owns the frame: give it back there.
            all[link.PeerPartition].Partition.Pool.Return(frame);
        }
        else
        {
            link.Promise(m.PromisePs);
        }
    }
}
