using System.Text.Json.Serialization;

namespace TsnSim.Core.Telemetry;

/// <summary>
/// A NIC's neighbour answers and power: ARP requests and Neighbor Solicitations its NIC answered
/// while the host slept (offload) and its stack answered while awake, the wakes, and the frames
/// dropped while the host slept.
/// </summary>
public sealed record NeighborReport(
    [property: JsonPropertyName("arp_offloaded")] long ArpOffloaded,
    [property: JsonPropertyName("ns_offloaded")] long NsOffloaded,
    [property: JsonPropertyName("arp_answered")] long ArpAnswered,
    [property: JsonPropertyName("ns_answered")] long NsAnswered,
    [property: JsonPropertyName("wakes")] long Wakes,
    [property: JsonPropertyName("asleep_drops")] long AsleepDrops);
