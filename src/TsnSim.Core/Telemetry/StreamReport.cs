using System.Text.Json.Serialization;

namespace TsnSim.Core.Telemetry;

/// <summary>One stream's line of the report. <c>lost</c> counts every expected reception (sent × listeners) that did not happen.</summary>
public sealed record StreamReport(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("talker")] string Talker,
    [property: JsonPropertyName("listeners")] IReadOnlyList<string> Listeners,
    [property: JsonPropertyName("pcp")] int Pcp,
    [property: JsonPropertyName("sent")] long Sent,
    [property: JsonPropertyName("received")] long Received,
    [property: JsonPropertyName("lost")] long Lost,
    [property: JsonPropertyName("latency_ns")] LatencySummary? Latency,
    [property: JsonPropertyName("jitter_ns")] double? JitterNs,
    [property: JsonPropertyName("deadline_misses")] long DeadlineMisses)
{
    /// <summary>For a stream that asks for Tx timestamps: hardware Tx timestamp minus the talker's clock at handoff, over every frame sent; absent otherwise.</summary>
    [JsonPropertyName("tx_timestamp_ns")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LatencySummary? TxTimestamp { get; init; }
}
