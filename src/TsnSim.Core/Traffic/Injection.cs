using TsnSim.Core.Time;

namespace TsnSim.Core.Traffic;

/// <summary>
/// Something a client asked a host to do at virtual time <see cref="At"/> while the run goes on.
/// Hosts accept injections in a fixed order and record them, so a second run that accepts the
/// same injections in the same order reproduces the first exactly.
/// </summary>
public abstract record Injection(SimTime At);
