using TsnSim.Core.Nodes;
using TsnSim.Core.Simulation;
using TsnSim.Core.Topology;

using TsnSim.Core.Traffic;

namespace TsnSim.Core.Telemetry;

/// <summary>
/// Gathers what nodes report (stream tallies, port counters, hop-log digests) from wherever
/// they ran, and builds the run report from it: the same code for a single process, which
/// feeds it its nodes, and for the coordinator, which feeds it telemetry batches.
/// The topology's streams are defined at construction; a stream started during the run is
/// added with <see cref="DefineStream"/> under a new index before its first figures arrive.
/// </summary>
public sealed class ReportAccumulator
{
    private readonly TopologyConfig _topology;
    private readonly SortedDictionary<int, (StreamDefinition Definition, StreamTally Tally)> _streams = new();
    private readonly Dictionary<(string Node, string Port), PortReport> _ports = new();
    private readonly Dictionary<string, (byte[] Digest, long Hops)> _digests = new();
    // Live streams whose figures came (from a listener) before their definition (from the talker).
    private readonly HashSet<int> _undefined = [];

    public ReportAccumulator(TopologyConfig topology)
    {
        _topology = topology;
        for (int s = 0; s < topology.Streams.Count; s++)
        {
            var config = topology.Streams[s];
            DefineStream(s, new StreamDefinition(config.Name, config.Talker, config.Listeners, config.Pcp));
        }
    }

    /// <summary>Makes room for a stream's figures; its index must be new.</summary>
    public void DefineStream(int index, StreamDefinition definition)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        if (_undefined.Remove(index))
        {
            _streams[index] = (definition, _streams[index].Tally);
            return;
        }
        if (!_streams.TryAdd(index, (definition, new StreamTally())))
            throw new ArgumentException($"stream index {index} is already defined, as '{_streams[index].Definition.Name}'", nameof(index));
    }

    public long Events { get; set; }

    /// <summary>Synchronisation totals of a distributed run; null in a single process.</summary>
    public Distributed.SyncCounters? Sync { get; set; }

    /// <summary>Nodes whose final digest has arrived.</summary>
    public IReadOnlyCollection<string> FinishedNodes => _digests.Keys;

    /// <summary>Adds one node's figures for a stream (all of them, or those of an interval).</summary>
    public void AddStream(int stream, long sent, long received, long deadlineMisses, LatencyHistogram latency, LatencyHistogram txDelay)
    {
        if (!_streams.TryGetValue(stream, out var entry))
        {
            if (!LiveStreamIndex.IsLive(stream))
                throw new ArgumentOutOfRangeException(nameof(stream), $"stream index {stream} is not in topology '{_topology.Name}' nor defined since");
            // A listener's figures may come before the talker's definition: hold them under the index.
            _undefined.Add(stream);
            _streams[stream] = entry = (new StreamDefinition($"stream {stream}", "", [], 0), new StreamTally());
        }
        var tally = entry.Tally;
        tally.Sent += sent;
        tally.Received += received;
        tally.DeadlineMisses += deadlineMisses;
        tally.Latency.Add(latency);
        tally.TxDelay.Add(txDelay);
    }

    /// <summary>Replaces the counters of one port (they are cumulative).</summary>
    public void SetPort(PortReport port) => _ports[(port.Node, port.Port)] = port;

    public void SetDigest(string node, byte[] digest, long hops) => _digests[node] = (digest, hops);

    private readonly Dictionary<string, List<ClockSample>> _clockSamples = new();

    /// <summary>A node's clock samples (gPTP runs), appended in time order.</summary>
    public void AddClockSamples(string node, IEnumerable<ClockSample> samples)
    {
        if (!_clockSamples.TryGetValue(node, out var list)) _clockSamples[node] = list = [];
        list.AddRange(samples);
    }

    /// <summary>Every node's clock samples so far: the time-error series.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ClockSample>> ClockSamples => _clockSamples.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<ClockSample>)kv.Value);

    /// <summary>Everything a node of this process knows, at the end of its run.</summary>
    public void AddNode(Node node)
    {
        var telemetry = node.Context.Telemetry;
        if (node is Host host)
            foreach (var live in host.Live.Streams) DefineStream(live.Index, LiveDefinition(live));
        for (int s = 0; s < telemetry.Streams.Count; s++)
        {
            var tally = telemetry.Stream(s);
            AddStream(s, tally.Sent, tally.Received, tally.DeadlineMisses, tally.Latency, tally.TxDelay);
        }
        foreach (var (s, tally) in telemetry.LiveStreams) AddStream(s, tally.Sent, tally.Received, tally.DeadlineMisses, tally.Latency, tally.TxDelay);
        foreach (var port in node.Ports) SetPort(PortReportOf(node, port));
        if (telemetry.ClockSamples.Count > 0) AddClockSamples(node.Name, telemetry.ClockSamples);
        SetDigest(node.Name, telemetry.FinishDigest(), telemetry.Hops);
    }

    /// <summary>How the report names a live stream: after its talker, since each host names its own.</summary>
    public static StreamDefinition LiveDefinition(LiveStream live) =>
        new($"{live.Talker}/{live.Name}", live.Talker, live.Listener is { } l ? [l] : [], live.Pcp);

    public static PortReport PortReportOf(Node node, Links.Port port) => new(node.Name, port.Name,
        port.Counters.TxFrames, port.Counters.TxBytes, port.Counters.RxFrames, port.Counters.RxBytes,
        port.Counters.QueueDrops, port.Counters.IngressDrops + port.Counters.UnlinkedDrops, port.Counters.MaxQueueDepth)
    {
        LaunchTimeDrops = port.Counters.LaunchTimeDrops,
        Classes = port.Classes is { } classes ? ClassReportsOf(classes) : null,
        Nic = node is Host host && host.NicOf(port.LocalIndex) is { } nic ? NicReportOf(nic, port, node.Context.Duration, host.Power) : null,
    };

    private static NicReport NicReportOf(Nic.MultiQueueNic nic, Links.Port port, Time.SimTime duration, Nic.HostPower? power)
    {
        var queues = nic.Queues.Select(q => new RxQueueReport(q.Index, q.Core, q.Frames, q.Bytes, q.Flows, q.Steered, q.RingDrops, q.BufferDrops, q.MaxOccupancy,
            q.Indications == 0 ? 0 : q.WaitTotalPs / 1000.0 / q.Indications, q.WaitMaxPs / 1000.0)
        {
            Indications = q.Indications,
            Rsc = nic.CoalescerOf(q.Index) is { } rsc ? new RscReport(q.RscUnits, q.RscSegments, q.RscDuplicateAcks,
                Enum.GetValues<Nic.RscException>().ToDictionary(Nic.RscExceptionNames.NameOf, e => rsc.Exceptions[(int)e])) : null,
        }).ToArray();
        var cores = nic.Cores.Select(c => new CoreReport(c.Core, c.Packets, c.BusyPs / 1000.0,
            duration.Picoseconds is > 0 and < long.MaxValue ? (double)c.BusyPs / duration.Picoseconds : 0)).ToArray();
        var hashTypes = new Dictionary<string, long> { ["none"] = nic.HashTypeCounts[0] };
        for (int i = 0; i < Nic.RssHashTypeNames.Each.Count; i++) hashTypes[Nic.RssHashTypeNames.Each[i].Name] = nic.HashTypeCounts[i + 1];
        var n = nic.Neighbors;
        return new NicReport(queues, cores, hashTypes, nic.Pool.MaxInUse)
        {
            Neighbors = nic.Responder is not null || nic.Config.PowerChanges.Count > 0 || n.AsleepDrops > 0 || power?.Wakes > 0
                ? new NeighborReport(n.ArpOffloaded, n.NsOffloaded, n.ArpAnswered, n.NsAnswered, power?.Wakes ?? 0, n.AsleepDrops) : null,
            TxQueues = nic.Transmitter.Queues.Select(q => new TxQueueReport(q.Index, q.Core, q.Frames, q.Bytes, q.Index < port.Classes!.TxQueueCount ? port.Classes.TxQueueFrames[q.Index] : 0, q.MaxOccupancy,
                q.Waited, q.BacklogMax, MeanNs(q.BacklogWaitTotalPs, q.Waited - q.Backlog.Count), q.BacklogWaitMaxPs / 1000.0, q.BacklogDrops,
                q.Completions, q.Discarded, MeanNs(q.CompletionWaitTotalPs, q.Completions), q.CompletionWaitMaxPs / 1000.0) { BufferDrops = q.BufferDrops }).ToArray(),
        };
    }

    private static double MeanNs(long totalPs, long count) => count == 0 ? 0 : totalPs / 1000.0 / count;

    private static ClassReport[] ClassReportsOf(Tsn.TransmissionSelection classes) =>
        Enumerable.Range(0, classes.TxFrames.Length).Select(c => new ClassReport(c, classes.TxFrames[c], classes.QueueDrops[c], classes.LaunchTimeDrops[c],
            classes.GateWaitPs[c] / 1000.0, classes.MaxGateWaitPs[c] / 1000.0)).ToArray();

    /// <summary>
    /// The report as it stands. The digest covers the nodes that have finished; when some have
    /// not, it is not the run's digest and <see cref="RunReport.Complete"/> says so.
    /// </summary>
    public RunReport Build(RunSettings settings, string mode, TimeSpan wall, string? error = null)
    {
        var streams = new List<StreamReport>();
        foreach (var (definition, tally) in _streams.Values)
        {
            var summary = LatencySummary.Of(tally.Latency);
            // Jitter is peak-to-peak delay variation, from the exact extremes: no per-frame state.
            double? jitter = tally.Latency.Count == 0 ? null : (tally.Latency.MaxPs - tally.Latency.MinPs) / 1000.0;
            streams.Add(new StreamReport(definition.Name, definition.Talker, definition.Listeners, definition.Pcp, tally.Sent, tally.Received,
                tally.Sent * definition.Listeners.Count - tally.Received, summary, jitter, tally.DeadlineMisses)
            {
                TxTimestamp = tally.TxDelay.Count == 0 ? null : LatencySummary.Of(tally.TxDelay),
            });
        }
        var ports = new List<PortReport>();
        foreach (var node in _topology.Nodes)
            foreach (var port in node.Ports)
                if (_ports.TryGetValue((node.Name, port.Name), out var report)) ports.Add(report);
        var finished = _topology.Nodes.Where(n => _digests.ContainsKey(n.Name)).ToList();
        var digest = RunReport.CombineDigests(finished.Select(n => (n.Name, _digests[n.Name].Digest)));
        return new RunReport(_topology.Name, settings.Seed, settings.Duration.TotalNanoseconds, mode, streams, ports,
            _digests.Values.Sum(d => d.Hops), Events, digest, wall.TotalSeconds)
        {
            Complete = error is null && finished.Count == _topology.Nodes.Count,
            Sync = Sync,
            Error = error,
            Ptp = _topology.Ptp is null ? null : PtpTimeErrors.Report(_topology, ClockSamples),
        };
    }
}
