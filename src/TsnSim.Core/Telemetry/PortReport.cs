using System.Text.Json.Serialization;

namespace TsnSim.Core.Telemetry;

/// <summary>One port's counters in the report.</summary>
public sealed record PortReport(
    [property: JsonPropertyName("node")] string Node,
    [property: JsonPropertyName("port")] string Port,
    [property: JsonPropertyName("tx_frames")] long TxFrames,
    [property: JsonPropertyName("tx_bytes")] long TxBytes,
    [property: JsonPropertyName("rx_frames")] long RxFrames,
    [property: JsonPropertyName("rx_bytes")] long RxBytes,
    [property: JsonPropertyName("queue_drops")] long QueueDrops,
    [property: JsonPropertyName("ingress_drops")] long IngressDrops,
    [property: JsonPropertyName("max_queue_depth")] int MaxQueueDepth)
{
    /// <summary>Frames dropped because their launch time had passed; absent when none.</summary>
    [JsonPropertyName("launch_time_drops")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long LaunchTimeDrops { get; init; }

    /// <summary>Per traffic class, on a port with egress classes; absent otherwise.</summary>
    [JsonPropertyName("classes")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ClassReport>? Classes { get; init; }

    /// <summary>A host port's multi-queue NIC; absent on a port without one.</summary>
    [JsonPropertyName("nic")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public NicReport? Nic { get; init; }

    /// <summary>Equal when every counter is, class by class too (a record would compare the class lists by reference).</summary>
    public bool Equals(PortReport? other) =>
        other is not null
        && (Node, Port, TxFrames, TxBytes, RxFrames, RxBytes, QueueDrops, IngressDrops, MaxQueueDepth, LaunchTimeDrops)
            == (other.Node, other.Port, other.TxFrames, other.TxBytes, other.RxFrames, other.RxBytes, other.QueueDrops, other.IngressDrops, other.MaxQueueDepth, other.LaunchTimeDrops)
        && (Classes is null ? other.Classes is null : other.Classes is not null && Classes.SequenceEqual(other.Classes))
        && Equals(Nic, other.Nic);

    public override int GetHashCode() => HashCode.Combine(Node, Port, TxFrames, RxFrames, Classes?.Count);
}
