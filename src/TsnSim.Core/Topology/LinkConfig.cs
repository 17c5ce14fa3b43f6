using TsnSim.Core.Time;

namespace TsnSim.Core.Topology;

/// <summary>A full-duplex point-to-point link: the same rate and propagation delay both ways.</summary>
public sealed record LinkConfig(PortRef A, PortRef B, DataRate Rate, SimTime Delay);
