using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using TsnSim.Core.Nodes;
using TsnSim.Core.Simulation;
using TsnSim.Core.Topology;

namespace TsnSim.Core.Telemetry;

/// <summary>
/// The result of a run, as <c>tsnsim run</c> prints it and writes it to JSON. Fields are only ever
/// added, never renamed: scripts read this.
/// </summary>
public sealed record RunReport(
    [property: JsonPropertyName("topology")] string Topology,
    [property: JsonPropertyName("seed")] ulong Seed,
    [property: JsonPropertyName("duration_ns")] double DurationNs,
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("streams")] IReadOnlyList<StreamReport> Streams,
    [property: JsonPropertyName("ports")] IReadOnlyList<PortReport> Ports,
    [property: JsonPropertyName("hops")] long Hops,
    [property: JsonPropertyName("events")] long Events,
    [property: JsonPropertyName("frames_digest")] string FramesDigest,
    [property: JsonPropertyName("wall_seconds")] double WallSeconds)
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static RunReport Build(TopologyConfig topology, RunSettings settings, string mode, IReadOnlyList<Node> nodes, long events, TimeSpan wall)
    {
        var byName = nodes.ToDictionary(n => n.Name);
        var streams = new List<StreamReport>();
        for (int s = 0; s < topology.Streams.Count; s++)
        {
            var config = topology.Streams[s];
            long sent = 0, received = 0, misses = 0;
            var latencies = new List<long>();
            foreach (var node in nodes)
            {
                var tally = node.Context.Telemetry.Stream(s);
                sent += tally.Sent;
                received += tally.Received;
                misses += tally.DeadlineMisses;
                latencies.AddRange(tally.LatenciesPs);
            }
            var summary = LatencySummary.FromPicoseconds(latencies);
            streams.Add(new StreamReport(config.Name, config.Talker, config.Listeners, config.Pcp, sent, received,
                sent * config.Listeners.Count - received, summary, summary is null ? null : summary.Max - summary.Min, misses));
        }
        var ports = nodes.SelectMany(n => n.Ports.Select(p => new PortReport(n.Name, p.Name,
            p.Counters.TxFrames, p.Counters.TxBytes, p.Counters.RxFrames, p.Counters.RxBytes,
            p.Counters.QueueDrops, p.Counters.IngressDrops + p.Counters.UnlinkedDrops, p.Counters.MaxQueueDepth))).ToList();
        var digests = topology.Nodes.Where(n => byName.ContainsKey(n.Name))
            .Select(n => (n.Name, Digest: byName[n.Name].Context.Telemetry.FinishDigest()));
        return new RunReport(topology.Name, settings.Seed, settings.Duration.TotalNanoseconds, mode, streams, ports,
            nodes.Sum(n => n.Context.Telemetry.Hops), events, CombineDigests(digests), wall.TotalSeconds);
    }

    /// <summary>
    /// SHA-256 over each node's hop-log digest, in topology order, each prefixed with the node's
    /// name: the same value however the nodes were spread over processes.
    /// </summary>
    public static string CombineDigests(IEnumerable<(string Node, byte[] Digest)> perNode)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (node, digest) in perNode)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(node));
            hash.AppendData([0]);
            hash.AppendData(digest);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
