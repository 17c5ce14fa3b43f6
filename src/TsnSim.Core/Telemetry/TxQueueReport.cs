using System.Text.Json.Serialization;

namespace TsnSim.Core.Telemetry;

/// <summary>
/// One Tx queue of a host port's NIC, in the report: what the host stack submitted and the port
/// sent from it, how full its ring got, what waited in the host stack for a descriptor or buffers
/// (backpressure) and how long, what was dropped there, and its completions with the time they
/// waited for their core.
/// </summary>
public sealed record TxQueueReport(
    [property: JsonPropertyName("queue")] int Queue,
    [property: JsonPropertyName("core")] int Core,
    [property: JsonPropertyName("frames")] long Frames,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("sent")] long Sent,
    [property: JsonPropertyName("max_occupancy")] int MaxOccupancy,
    [property: JsonPropertyName("waited")] long Waited,
    [property: JsonPropertyName("backlog_max")] int BacklogMax,
    [property: JsonPropertyName("backlog_wait_mean_ns")] double BacklogWaitMeanNs,
    [property: JsonPropertyName("backlog_wait_max_ns")] double BacklogWaitMaxNs,
    [property: JsonPropertyName("backlog_drops")] long BacklogDrops,
    [property: JsonPropertyName("completions")] long Completions,
    [property: JsonPropertyName("discarded")] long Discarded,
    [property: JsonPropertyName("completion_wait_mean_ns")] double CompletionWaitMeanNs,
    [property: JsonPropertyName("completion_wait_max_ns")] double CompletionWaitMaxNs)
{
    /// <summary>Frames dropped because they need more buffers than the whole pool has.</summary>
    [JsonPropertyName("buffer_drops")]
    public long BufferDrops { get; init; }
}
