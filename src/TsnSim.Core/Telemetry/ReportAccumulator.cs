using TsnSim.Core.Nodes;
using TsnSim.Core.Simulation;
using TsnSim.Core.Topology;

namespace TsnSim.Core.Telemetry;

/// <summary>
/// Gathers what nodes report (stream tallies, port counters, hop-log digests) from wherever
/// they ran, and builds the run report from it: the same code for a single process, which
/// feeds it its nodes, and for the coordinator, which feeds it telemetry batches.
/// </summary>
public sealed class ReportAccumulator
{
    private readonly TopologyConfig _topology;
    private readonly StreamTally[] _streams;
    private readonly Dictionary<(string Node, string Port), PortReport> _ports = new();
    private readonly Dictionary<string, (byte[] Digest, long Hops)> _digests = new();

    public ReportAccumulator(TopologyConfig topology)
    {
        _topology = topology;
        _streams = topology.Streams.Select(_ => new StreamTally()).ToArray();
    }

    public long Events { get; set; }

    /// <summary>Synchronisation totals of a distributed run; null in a single process.</summary>
    public Distributed.SyncCounters? Sync { get; set; }

    /// <summary>Nodes whose final digest has arrived.</summary>
    public IReadOnlyCollection<string> FinishedNodes => _digests.Keys;

    public void AddStream(int stream, long sent, long received, long deadlineMisses, IEnumerable<long> latenciesPs)
    {
        if ((uint)stream >= (uint)_streams.Length)
            throw new ArgumentOutOfRangeException(nameof(stream), $"stream index {stream} is not in topology '{_topology.Name}'");
        var tally = _streams[stream];
        tally.Sent += sent;
        tally.Received += received;
        tally.DeadlineMisses += deadlineMisses;
        tally.LatenciesPs.AddRange(latenciesPs);
    }

    /// <summary>Replaces the counters of one port (they are cumulative).</summary>
    public void SetPort(PortReport port) => _ports[(port.Node, port.Port)] = port;

    public void SetDigest(string node, byte[] digest, long hops) => _digests[node] = (digest, hops);

    /// <summary>Everything a node of this process knows, at the end of its run.</summary>
    public void AddNode(Node node)
    {
        var telemetry = node.Context.Telemetry;
        for (int s = 0; s < _streams.Length; s++)
        {
            var tally = telemetry.Stream(s);
            AddStream(s, tally.Sent, tally.Received, tally.DeadlineMisses, tally.LatenciesPs);
        }
        foreach (var port in node.Ports) SetPort(PortReportOf(node, port));
        SetDigest(node.Name, telemetry.FinishDigest(), telemetry.Hops);
    }

    public static PortReport PortReportOf(Node node, Links.Port port) => new(node.Name, port.Name,
        port.Counters.TxFrames, port.Counters.TxBytes, port.Counters.RxFrames, port.Counters.RxBytes,
        port.Counters.QueueDrops, port.Counters.IngressDrops + port.Counters.UnlinkedDrops, port.Counters.MaxQueueDepth);

    /// <summary>
    /// The report as it stands. The digest covers the nodes that have finished; when some have
    /// not, it is not the run's digest and <see cref="RunReport.Complete"/> says so.
    /// </summary>
    public RunReport Build(RunSettings settings, string mode, TimeSpan wall, string? error = null)
    {
        var streams = new List<StreamReport>();
        for (int s = 0; s < _streams.Length; s++)
        {
            var config = _topology.Streams[s];
            var tally = _streams[s];
            var summary = LatencySummary.FromPicoseconds(tally.LatenciesPs);
            streams.Add(new StreamReport(config.Name, config.Talker, config.Listeners, config.Pcp, tally.Sent, tally.Received,
                tally.Sent * config.Listeners.Count - tally.Received, summary, summary is null ? null : summary.Max - summary.Min, tally.DeadlineMisses));
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
        };
    }
}
