using System.Text.Json.Serialization;

namespace TsnSim.Core.Telemetry;

/// <summary>
/// One traffic class of a port with egress classes, in the report: what it sent and dropped,
/// and the gate waits of its frames (how long each frame's gate was closed while it waited at
/// the head of the class, on the node's clock).
/// </summary>
public sealed record ClassReport(
    [property: JsonPropertyName("class")] int TrafficClass,
    [property: JsonPropertyName("tx_frames")] long TxFrames,
    [property: JsonPropertyName("queue_drops")] long QueueDrops,
    [property: JsonPropertyName("launch_time_drops")] long LaunchTimeDrops,
    [property: JsonPropertyName("gate_wait_total_ns")] double GateWaitTotalNs,
    [property: JsonPropertyName("gate_wait_max_ns")] double GateWaitMaxNs);
