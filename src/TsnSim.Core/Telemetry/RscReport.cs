using System.Text.Json.Serialization;

namespace TsnSim.Core.Telemetry;

/// <summary>
/// Receive segment coalescing on one Rx queue: coalesced units (two segments or more), the data
/// segments in them, the duplicate ACKs they absorbed, and the segments passed on alone, by why
/// (NDIS's exception conditions; "none": nothing to coalesce with).
/// </summary>
public sealed record RscReport(
    [property: JsonPropertyName("units")] long Units,
    [property: JsonPropertyName("segments")] long Segments,
    [property: JsonPropertyName("duplicate_acks")] long DuplicateAcks,
    [property: JsonPropertyName("alone")] IReadOnlyDictionary<string, long> Alone)
{
    public bool Equals(RscReport? other) =>
        other is not null && (Units, Segments, DuplicateAcks) == (other.Units, other.Segments, other.DuplicateAcks)
        && Alone.Count == other.Alone.Count && Alone.All(kv => other.Alone.TryGetValue(kv.Key, out var v) && v == kv.Value);

    public override int GetHashCode() => HashCode.Combine(Units, Segments, DuplicateAcks);
}
