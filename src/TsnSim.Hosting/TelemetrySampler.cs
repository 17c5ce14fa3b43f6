using Google.Protobuf;
using TsnSim.Core.Distributed;
using TsnSim.Core.Simulation;
using TsnSim.Core.Telemetry;
using TsnSim.Protos.Telemetry;

namespace TsnSim.Hosting;

/// <summary>
/// Turns what a partition's nodes recorded into telemetry batches: stream figures as changes
/// since the last batch (so the coordinator can add them up; a node's latency histogram is
/// emptied once sent, so its memory stays bounded), port counters whole, and in the final
/// batch each node's hop-log digest.
/// </summary>
public sealed class TelemetrySampler(Partition partition, Func<SyncCounters>? sync = null, HopBuffer? hops = null)
{
    private readonly Dictionary<(string Node, int Stream), (long Sent, long Received, long Misses)> _sent = new();
    private readonly Dictionary<string, int> _liveDefined = new();
    private readonly Dictionary<string, int> _clocksSent = new();
    private HdrHistogram.Utilities.ByteBuffer? _encoding;

    public TelemetryBatch Sample(bool final)
    {
        var batch = new TelemetryBatch
        {
            Partition = partition.Name,
            VirtualTimePs = partition.Scheduler.Latest.Picoseconds,
            Events = partition.ExecutedEvents,
            Final = final,
        };
        if (hops is not null)
            foreach (var (node, h) in hops.Drain())
                batch.Hops.Add(new Protos.Telemetry.HopRecord
                {
                    Node = node, FrameId = h.FrameId, Stream = h.StreamIndex, Sequence = h.Sequence,
                    FromPort = h.FromPort, ToPort = h.ToPort, TransmitStartPs = h.TransmitStartPs, ArrivalPs = h.ArrivalPs, GateWaitPs = h.GateWaitPs,
                });
        if (sync?.Invoke() is { } counters)
            batch.Sync = new SyncSample { MessagesSent = counters.Messages, FramesSent = counters.RemoteFrames, PromisesSent = counters.Promises, HorizonsSent = counters.Horizons, Waits = counters.Waits };
        foreach (var node in partition.Nodes)
        {
            var telemetry = node.Context.Telemetry;
            if (node is Core.Nodes.Host host)
            {
                int known = _liveDefined.GetValueOrDefault(host.Name);
                foreach (var live in host.Live.Streams.Skip(known))
                {
                    var definition = ReportAccumulator.LiveDefinition(live);
                    var message = new LiveStreamDefinition { Stream = live.Index, Name = definition.Name, Talker = definition.Talker, Pcp = (uint)definition.Pcp };
                    message.Listeners.AddRange(definition.Listeners);
                    batch.LiveStreams.Add(message);
                }
                _liveDefined[host.Name] = host.Live.Streams.Count;
            }
            for (int s = 0; s < telemetry.Streams.Count; s++) AddSample(batch, node.Name, s, telemetry.Streams[s]);
            foreach (var (s, tally) in telemetry.LiveStreams) AddSample(batch, node.Name, s, tally);
            foreach (var port in node.Ports)
            {
                var report = ReportAccumulator.PortReportOf(node, port);
                var sample = new PortSample
                {
                    Node = report.Node, Port = report.Port, TxFrames = report.TxFrames, TxBytes = report.TxBytes,
                    RxFrames = report.RxFrames, RxBytes = report.RxBytes, QueueDrops = report.QueueDrops,
                    IngressDrops = report.IngressDrops, MaxQueueDepth = report.MaxQueueDepth, LaunchTimeDrops = report.LaunchTimeDrops,
                };
                foreach (var c in report.Classes ?? [])
                    sample.Classes.Add(new ClassSample
                    {
                        TrafficClass = c.TrafficClass, TxFrames = c.TxFrames, QueueDrops = c.QueueDrops, LaunchTimeDrops = c.LaunchTimeDrops,
                        GateWaitTotalNs = c.GateWaitTotalNs, GateWaitMaxNs = c.GateWaitMaxNs,
                    });
                if (report.Nic is { } nic) sample.Nic = NicSampleOf(nic);
                batch.Ports.Add(sample);
            }
            if (telemetry.ClockSamples.Count > _clocksSent.GetValueOrDefault(node.Name))
            {
                var clocks = new ClockSamples { Node = node.Name };
                for (int i = _clocksSent.GetValueOrDefault(node.Name); i < telemetry.ClockSamples.Count; i++)
                {
                    var sample = telemetry.ClockSamples[i];
                    clocks.AtPs.Add(sample.AtPs);
                    clocks.ReadingPs.Add(sample.ReadingPs);
                    clocks.Grandmaster.Add(sample.Grandmaster);
                    clocks.State.Add((int)sample.State);
                    clocks.EstimatedDelayPs.Add(sample.EstimatedDelayPs);
                    clocks.TrueDelayPs.Add(sample.TrueDelayPs);
                }
                _clocksSent[node.Name] = telemetry.ClockSamples.Count;
                batch.Clocks.Add(clocks);
            }
            if (final)
                batch.Digests.Add(new NodeDigest { Node = node.Name, Sha256 = ByteString.CopyFrom(telemetry.FinishDigest()), Hops = telemetry.Hops });
        }
        return batch;
    }

    /// <summary>What one node's tally of one stream gained since the last batch.</summary>
    private void AddSample(TelemetryBatch batch, string nodeName, int s, StreamTally tally)
    {
        _sent.TryGetValue((nodeName, s), out var before);
        if (tally.Sent == before.Sent && tally.Received == before.Received && tally.DeadlineMisses == before.Misses && tally.TxDelay.Count == 0) return;
        var latency = tally.Latency;
        var txDelay = tally.TxDelay;
        var sample = new StreamSample
        {
            Stream = s,
            Sent = tally.Sent - before.Sent,
            Received = tally.Received - before.Received,
            DeadlineMisses = tally.DeadlineMisses - before.Misses,
            LatencyCount = latency.Count,
        };
        if (latency.Count > 0)
        {
            sample.LatencySumPs = checked((long)latency.SumPs);
            sample.LatencyMinPs = latency.MinPs;
            sample.LatencyMaxPs = latency.MaxPs;
            sample.LatencyHistogram = ByteString.CopyFrom(latency.EncodeBuckets(ref _encoding));
        }
        if (txDelay.Count > 0)
        {
            sample.TxDelayCount = txDelay.Count;
            sample.TxDelaySumPs = checked((long)txDelay.SumPs);
            sample.TxDelayMinPs = txDelay.MinPs;
            sample.TxDelayMaxPs = txDelay.MaxPs;
            sample.TxDelayHistogram = ByteString.CopyFrom(txDelay.EncodeBuckets(ref _encoding));
        }
        // The node keeps only what it has not sent yet: the coordinator holds the sum.
        latency.Reset();
        txDelay.Reset();
        batch.Streams.Add(sample);
        _sent[(nodeName, s)] = (tally.Sent, tally.Received, tally.DeadlineMisses);
    }

    public static SyncCounters? SyncOf(TelemetryBatch batch) => batch.Sync is { } s
        ? new SyncCounters(s.MessagesSent, s.FramesSent, s.PromisesSent, s.HorizonsSent, s.Waits)
        : null;

    /// <summary>The hop records a batch carries.</summary>
    public static IEnumerable<Core.Telemetry.HopRecord> HopsOf(TelemetryBatch batch) =>
        batch.Hops.Select(h => new Core.Telemetry.HopRecord(h.FrameId, h.Stream, h.Sequence, h.FromPort, h.ToPort, h.TransmitStartPs, h.ArrivalPs, h.GateWaitPs));

    /// <summary>Folds a batch into the coordinator's accumulator.</summary>
    public static void Fold(TelemetryBatch batch, ReportAccumulator into)
    {
        foreach (var d in batch.LiveStreams) into.DefineStream(d.Stream, new StreamDefinition(d.Name, d.Talker, d.Listeners.ToArray(), (int)d.Pcp));
        foreach (var s in batch.Streams)
            into.AddStream(s.Stream, s.Sent, s.Received, s.DeadlineMisses,
                LatencyHistogram.FromParts(s.LatencyCount, s.LatencySumPs, s.LatencyMinPs, s.LatencyMaxPs, s.LatencyHistogram.Span),
                LatencyHistogram.FromParts(s.TxDelayCount, s.TxDelaySumPs, s.TxDelayMinPs, s.TxDelayMaxPs, s.TxDelayHistogram.Span));
        foreach (var p in batch.Ports)
            into.SetPort(new PortReport(p.Node, p.Port, p.TxFrames, p.TxBytes, p.RxFrames, p.RxBytes, p.QueueDrops, p.IngressDrops, p.MaxQueueDepth) 
            {
                LaunchTimeDrops = p.LaunchTimeDrops,
                Classes = p.Classes.Count == 0 ? null
                    : p.Classes.Select(c => new ClassReport(c.TrafficClass, c.TxFrames, c.QueueDrops, c.LaunchTimeDrops, c.GateWaitTotalNs, c.GateWaitMaxNs)).ToArray(),
                Nic = p.Nic is { } nic ? NicReportOf(nic) : null,
            });
        foreach (var d in batch.Digests) into.SetDigest(d.Node, d.Sha256.ToByteArray(), d.Hops);
        foreach (var c in batch.Clocks)
            into.AddClockSamples(c.Node, c.AtPs.Select((at, i) =>
                new ClockSample(at, c.ReadingPs[i], (Core.Ptp.ServoState)c.State[i], c.Grandmaster[i], c.EstimatedDelayPs[i], c.TrueDelayPs[i])));
    }

    private static NicSample NicSampleOf(NicReport nic)
    {
        var sample = new NicSample { BuffersMaxInUse = nic.BuffersMaxInUse };
        foreach (var q in nic.RxQueues)
        {
            var queue = new RxQueueSample
            {
                Queue = q.Queue, Core = q.Core, Frames = q.Frames, Bytes = q.Bytes, Flows = q.Flows, Steered = q.Steered, RingDrops = q.RingDrops,
                BufferDrops = q.BufferDrops, MaxOccupancy = q.MaxOccupancy, CoreWaitMeanNs = q.CoreWaitMeanNs, CoreWaitMaxNs = q.CoreWaitMaxNs,
                Indications = q.Indications,
            };
            if (q.Rsc is { } rsc)
            {
                queue.Rsc = new RscSample { Units = rsc.Units, Segments = rsc.Segments, DuplicateAcks = rsc.DuplicateAcks };
                foreach (var (why, count) in rsc.Alone) queue.Rsc.Alone[why] = count;
            }
            sample.RxQueues.Add(queue);
        }
        foreach (var q in nic.TxQueues)
            sample.TxQueues.Add(new TxQueueSample
            {
                Queue = q.Queue, Core = q.Core, Frames = q.Frames, Bytes = q.Bytes, Sent = q.Sent, MaxOccupancy = q.MaxOccupancy, Waited = q.Waited,
                BacklogMax = q.BacklogMax, BacklogWaitMeanNs = q.BacklogWaitMeanNs, BacklogWaitMaxNs = q.BacklogWaitMaxNs, BacklogDrops = q.BacklogDrops,
                Completions = q.Completions, Discarded = q.Discarded, CompletionWaitMeanNs = q.CompletionWaitMeanNs, CompletionWaitMaxNs = q.CompletionWaitMaxNs,
                BufferDrops = q.BufferDrops,
            });
        foreach (var c in nic.Cores) sample.Cores.Add(new CoreSample { Core = c.Core, Packets = c.Packets, BusyNs = c.BusyNs, Utilization = c.Utilization });
        foreach (var (name, count) in nic.HashTypes) sample.HashTypes[name] = count;
        if (nic.Neighbors is { } n)
            sample.Neighbors = new NeighborSample
            {
                ArpOffloaded = n.ArpOffloaded, NsOffloaded = n.NsOffloaded, ArpAnswered = n.ArpAnswered, NsAnswered = n.NsAnswered, Wakes = n.Wakes, AsleepDrops = n.AsleepDrops,
            };
        return sample;
    }

    private static NicReport NicReportOf(NicSample nic) => new(
        nic.RxQueues.Select(q => new RxQueueReport(q.Queue, q.Core, q.Frames, q.Bytes, q.Flows, q.Steered, q.RingDrops, q.BufferDrops, q.MaxOccupancy, q.CoreWaitMeanNs, q.CoreWaitMaxNs)
        {
            Indications = q.Indications,
            // In the order the report writes them: the exceptions' own order.
            Rsc = q.Rsc is { } rsc ? new RscReport(rsc.Units, rsc.Segments, rsc.DuplicateAcks,
                Enum.GetValues<Core.Nic.RscException>().Select(Core.Nic.RscExceptionNames.NameOf).Where(rsc.Alone.ContainsKey).ToDictionary(n => n, n => rsc.Alone[n])) : null,
        }).ToArray(),
        nic.Cores.Select(c => new CoreReport(c.Core, c.Packets, c.BusyNs, c.Utilization)).ToArray(),
        // In the order the report writes them: "none", then the hash types' own order.
        new[] { "none" }.Concat(Core.Nic.RssHashTypeNames.Each.Select(e => e.Name)).Where(nic.HashTypes.ContainsKey).ToDictionary(n => n, n => nic.HashTypes[n]),
        nic.BuffersMaxInUse)
    {
        Neighbors = nic.Neighbors is { } n ? new NeighborReport(n.ArpOffloaded, n.NsOffloaded, n.ArpAnswered, n.NsAnswered, n.Wakes, n.AsleepDrops) : null,
        TxQueues = nic.TxQueues.Select(q => new TxQueueReport(q.Queue, q.Core, q.Frames, q.Bytes, q.Sent, q.MaxOccupancy, q.Waited, q.BacklogMax,
            q.BacklogWaitMeanNs, q.BacklogWaitMaxNs, q.BacklogDrops, q.Completions, q.Discarded, q.CompletionWaitMeanNs, q.CompletionWaitMaxNs) { BufferDrops = q.BufferDrops }).ToArray(),
    };
}
