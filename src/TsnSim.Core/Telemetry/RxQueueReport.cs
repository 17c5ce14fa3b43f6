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
    [property: JsonPropertyName("core_wait_max_ns")] double CoreWaitMaxNs);
