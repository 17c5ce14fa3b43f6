using System.Text.Json.Serialization;

namespace TsnSim.Core.Telemetry;

/// <summary>
/// A host port's multi-queue NIC in the report: each Rx queue, each Tx queue, each core's work, how many
/// packets got each RSS hash type ("none": not hashed, or steered by a rule), and the most
/// buffers of the pool in use at once.
/// </summary>
public sealed record NicReport(
    [property: JsonPropertyName("rx_queues")] IReadOnlyList<RxQueueReport> RxQueues,
    [property: JsonPropertyName("cores")] IReadOnlyList<CoreReport> Cores,
    [property: JsonPropertyName("hash_types")] IReadOnlyDictionary<string, long> HashTypes,
    [property: JsonPropertyName("buffers_max_in_use")] int BuffersMaxInUse)
{
    /// <summary>ARP and NS answers, wakes and drops while asleep; absent for a host with no addresses and no power changes.</summary>
    [JsonPropertyName("neighbors")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public NeighborReport? Neighbors { get; init; }

    /// <summary>The Tx queues, by index.</summary>
    [JsonPropertyName("tx_queues")]
    public IReadOnlyList<TxQueueReport> TxQueues { get; init; } = [];

    /// <summary>Equal when every counter is (a record would compare the lists by reference).</summary>
    public bool Equals(NicReport? other) =>
        other is not null && BuffersMaxInUse == other.BuffersMaxInUse
        && RxQueues.SequenceEqual(other.RxQueues) && TxQueues.SequenceEqual(other.TxQueues) && Cores.SequenceEqual(other.Cores)
        && Equals(Neighbors, other.Neighbors)
        && HashTypes.Count == other.HashTypes.Count && HashTypes.All(kv => other.HashTypes.TryGetValue(kv.Key, out var v) && v == kv.Value);

    public override int GetHashCode() => HashCode.Combine(RxQueues.Count, Cores.Count, BuffersMaxInUse);
}
