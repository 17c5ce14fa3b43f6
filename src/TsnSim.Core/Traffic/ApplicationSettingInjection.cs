using TsnSim.Core.Time;

namespace TsnSim.Core.Traffic;

/// <summary>An application's new socket priority and rate limit (null: none) from <see cref="Injection.At"/> on.</summary>
public sealed record ApplicationSettingInjection(SimTime At, int StreamIndex, byte Priority, TokenBucketConfig? Shaper) : Injection(At);
