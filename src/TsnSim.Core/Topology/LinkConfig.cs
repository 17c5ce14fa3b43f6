using TsnSim.Core.Time;

namespace TsnSim.Core.Topology;

/// <summary>
/// A full-duplex point-to-point link: the same rate both ways, and the propagation delay
/// <see cref="Delay"/> both ways unless <see cref="Asymmetry"/> says otherwise.
/// </summary>
public sealed record LinkConfig(PortRef A, PortRef B, DataRate Rate, SimTime Delay)
{
    /// <summary>As IEEE 1588's delayAsymmetry: A→B takes <see cref="Delay"/> + asymmetry, B→A <see cref="Delay"/> − asymmetry.</summary>
    public SimTime Asymmetry { get; init; }

    public SimTime DelayAToB => Delay + Asymmetry;
    public SimTime DelayBToA => Delay - Asymmetry;
}
