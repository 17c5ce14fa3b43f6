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

    /// <summary>False while nodes are still to report, or when the run was aborted: then the digest is partial.</summary>
    [JsonPropertyName("complete")]
    public bool Complete { get; init; } = true;

    /// <summary>Why the run stopped early; absent when it ran to the end.</summary>
    [JsonPropertyName("error")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }

    /// <summary>What synchronising the processes cost (distributed runs only).</summary>
    [JsonPropertyName("sync")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Distributed.SyncCounters? Sync { get; init; }

    /// <summary>gPTP's figures per node (runs with a <c>ptp:</c> section only).</summary>
    [JsonPropertyName("ptp")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<PtpNodeReport>? Ptp { get; init; }

    public static RunReport Build(TopologyConfig topology, RunSettings settings, string mode, IEnumerable<Node> nodes, long events, TimeSpan wall)
    {
        var accumulator = new ReportAccumulator(topology) { Events = events };
        foreach (var node in nodes) accumulator.AddNode(node);
        return accumulator.Build(settings, mode, wall);
    }

    public static RunReport? FromJson(string json) => JsonSerializer.Deserialize<RunReport>(json, JsonOptions);

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
