using System.Text.Json.Serialization;

namespace TsnSim.Core.Distributed;

/// <summary>What the conservative synchronisation cost: the figures behind "promises per frame".</summary>
public sealed record SyncCounters(
    [property: JsonPropertyName("messages")] long Messages,
    [property: JsonPropertyName("remote_frames")] long RemoteFrames,
    [property: JsonPropertyName("promises")] long Promises,
    [property: JsonPropertyName("horizons")] long Horizons,
    [property: JsonPropertyName("waits")] long Waits)
{
    public static SyncCounters operator +(SyncCounters a, SyncCounters b) =>
        new(a.Messages + b.Messages, a.RemoteFrames + b.RemoteFrames, a.Promises + b.Promises, a.Horizons + b.Horizons, a.Waits + b.Waits);
}
