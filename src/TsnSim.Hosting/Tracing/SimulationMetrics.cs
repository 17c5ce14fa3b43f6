using System.Diagnostics.Metrics;
using TsnSim.Core.Frames;
using TsnSim.Core.Nodes;
using TsnSim.Core.Simulation;
using TsnSim.Core.Telemetry;
using TsnSim.Core.Time;
using TsnSim.Core.Topology;
using TsnSim.Core.Tracing;

namespace TsnSim.Hosting.Tracing;

/// <summary>
/// OpenTelemetry metrics of the simulation on the <see cref="MeterName"/> meter: every stream's
/// latency as a histogram with microsecond-scale buckets (per stream and listener), every
/// port's queue depth, frames sent and dropped, and the queue and gate waits of traced frames.
/// Values are virtual-time figures; they are exported on the wall clock's schedule.
/// </summary>
public sealed class SimulationMetrics : IDeliveryObserver, IDisposable
{
    public const string MeterName = "TsnSim.Simulation";

    /// <summary>Bucket bounds in µs: 1-2-5 steps from 1 µs to 100 ms, the range TSN latencies live in.</summary>
    public static readonly IReadOnlyList<double> LatencyBucketsMicroseconds =
        [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000];

    private readonly Meter _meter = new(MeterName);
    private readonly Histogram<double> _latency;
    private readonly Histogram<double> _queueWait;
    private readonly Histogram<double> _gateWait;
    private readonly List<Partition> _partitions = [];
    private readonly string[] _portNames;
    private readonly KeyValuePair<string, object?>[] _streamTags;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, KeyValuePair<string, object?>> _liveStreamTags = new();

    public SimulationMetrics(TopologyConfig topology)
    {
        _portNames = topology.PortNames();
        _streamTags = topology.Streams.Select(s => new KeyValuePair<string, object?>("stream", s.Name)).ToArray();
        var advice = new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBucketsMicroseconds };
        _latency = _meter.CreateHistogram("tsnsim.stream.latency", "us", "End-to-end latency of each frame a listener received", advice: advice);
        _queueWait = _meter.CreateHistogram("tsnsim.frame.queue_wait", "us", "Time a traced frame spent in an egress queue", advice: advice);
        _gateWait = _meter.CreateHistogram("tsnsim.frame.gate_wait", "us", "Time a traced frame waited for its gate to open", advice: advice);
        _meter.CreateObservableGauge("tsnsim.port.queue_depth", () => Ports(p => (long)p.QueueDepth), "{frame}", "Frames waiting in the port's egress queue");
        _meter.CreateObservableGauge("tsnsim.port.max_queue_depth", () => Ports(p => (long)p.Counters.MaxQueueDepth), "{frame}", "Deepest the port's egress queue has been");
        _meter.CreateObservableCounter("tsnsim.port.tx_frames", () => Ports(p => p.Counters.TxFrames), "{frame}", "Frames the port transmitted");
        _meter.CreateObservableCounter("tsnsim.port.drops", () => Ports(p => p.Counters.QueueDrops + p.Counters.IngressDrops + p.Counters.UnlinkedDrops), "{frame}", "Frames dropped at the port");
    }

    /// <summary>Observes the ports of <paramref name="partition"/> from now on.</summary>
    public void Observe(Partition partition)
    {
        lock (_partitions) _partitions.Add(partition);
    }

    public void OnDelivered(Host listener, Frame frame, SimTime latency)
    {
        int stream = frame.StreamIndex;
        // A live stream is named on its talker's host only: the listener knows its index, as the frame log does.
        var name = (uint)stream < (uint)_streamTags.Length
            ? _streamTags[stream]
            : _liveStreamTags.GetOrAdd(stream, index => new KeyValuePair<string, object?>("stream", index.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        _latency.Record(latency.Picoseconds / 1e6, name, new KeyValuePair<string, object?>("listener", listener.Name));
    }

    /// <summary>The waits of a traced frame's hop (only traced frames are timed through the queue).</summary>
    public void OnHop(in HopSpan hop)
    {
        if (hop.TransmitStart is not { } start || hop.EnqueuedAt is not { } enqueued || hop.Egress is not { } egress) return;
        var port = new KeyValuePair<string, object?>("port", _portNames[egress.GlobalIndex]);
        _queueWait.Record((start - enqueued).Picoseconds / 1e6, port);
        _gateWait.Record(hop.GateWait.Picoseconds / 1e6, port);
    }

    // The simulation thread writes these counters as the exporter's thread reads them: each read is
    // one aligned word, so a reading is at worst a moment old, never torn.
    private IEnumerable<Measurement<long>> Ports(Func<Core.Links.Port, long> value)
    {
        Partition[] partitions;
        lock (_partitions) partitions = [.. _partitions];
        foreach (var partition in partitions)
            foreach (var node in partition.Nodes)
                foreach (var port in node.Ports)
                    yield return new Measurement<long>(value(port), new KeyValuePair<string, object?>("port", _portNames[port.GlobalIndex]));
    }

    public void Dispose() => _meter.Dispose();
}
