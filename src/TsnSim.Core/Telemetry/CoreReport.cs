using System.Text.Json.Serialization;

namespace TsnSim.Core.Telemetry;

/// <summary>What one host core did for a NIC's queues: packets served, time busy, and that time's share of the run.</summary>
public sealed record CoreReport(
    [property: JsonPropertyName("core")] int Core,
    [property: JsonPropertyName("packets")] long Packets,
    [property: JsonPropertyName("busy_ns")] double BusyNs,
    [property: JsonPropertyName("utilization")] double Utilization);
