using TsnSim.Core.Time;

namespace TsnSim.Core.Traffic;

/// <summary>Frames handed to the host's NIC at one instant, back to back in list order.</summary>
public sealed record FrameInjection(SimTime At, IReadOnlyList<InjectedFrame> Frames) : Injection(At);
