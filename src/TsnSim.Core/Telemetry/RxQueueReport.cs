using System.Text.Json.Serialization;

namespace TsnSim.Core.Telemetry;

/// <summary>One Rx queue of a host port's NIC, in the report.</summary>
public sealed record RxQueueReport(
    [property: JsonPropertyName("queue")] int Queue,
    [property: JsonPropertyName("core")] int Core,
    [property: JsonPropertyName("frames")] long Frames,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("flows")] int Flows,
    [property: JsonPropertyName("steered")] long Steered,
    [property: JsonPropertyName("ring_drops")] long RingDrops,
    [property: JsonPropertyName("buffer_drops")] long BufferDrops,
    [property: JsonPropertyName("max_occupancy")] int MaxOccupancy,
    [property: JsonPropertyName("core_wait_mean_ns")] double CoreWaitMeanNs,
    [property: JsonPropertyName("core_wait_max_ns")] double CoreWaitMaxNs)
{
    /// <summary>Packets handed to the core: frames, a coalesced unit counting once.</summary>
    [JsonPropertyName("indications")]
    public long Indications { get; init; }

    /// <summary>With RSC on the queue: units of two segments or more, the data segments in them, the duplicate ACKs they absorbed; absent otherwise.</summary>
    [JsonPropertyName("rsc")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RscReport? Rsc { get; init; }
}
