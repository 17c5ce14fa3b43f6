using TsnSim.Core.Time;

namespace TsnSim.Core.Tsn;

/// <summary>
/// A gate schedule the topology installs on a port at true time <see cref="At"/>, as an
/// operator's <c>tc qdisc replace … taprio</c> would: it takes over at its own base time (or the
/// next of its cycle boundaries, for a base time already past then).
/// </summary>
public sealed record GateScheduleChange(SimTime At, GateControlList Schedule);
