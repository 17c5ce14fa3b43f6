using TsnSim.Core.Time;

namespace TsnSim.Core.Traffic;

/// <summary>A periodic stream that starts sending at <see cref="Injection.At"/> from the host's port <see cref="PortIndex"/>.</summary>
public sealed record StreamStartInjection(SimTime At, StreamPlan Plan, int PortIndex) : Injection(At);
