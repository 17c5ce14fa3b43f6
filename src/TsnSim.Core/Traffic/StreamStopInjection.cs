using TsnSim.Core.Time;

namespace TsnSim.Core.Traffic;

/// <summary>The host's stream with global index <see cref="StreamIndex"/> sends nothing from <see cref="Injection.At"/> on.</summary>
public sealed record StreamStopInjection(SimTime At, int StreamIndex) : Injection(At);
