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
}
