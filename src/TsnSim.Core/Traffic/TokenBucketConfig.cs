using TsnSim.Core.Time;

namespace TsnSim.Core.Traffic;

/// <summary>
/// An application's bandwidth limit: a token bucket of <see cref="BurstBytes"/> filling at
/// <see cref="Rate"/>. A frame costs its wire bytes (size plus 20 of preamble and gap, as a
/// stream's <c>rate</c> counts them). By default a frame without tokens waits for them (up to
/// <see cref="Backlog"/> frames waiting; beyond, it is dropped and counted); with
/// <see cref="Drop"/> it is dropped at once (policing).
/// </summary>
public sealed record TokenBucketConfig(DataRate Rate, int BurstBytes)
{
    public const int DefaultBacklog = 1000;

    public bool Drop { get; init; }
    public int Backlog { get; init; } = DefaultBacklog;
}
