using TsnSim.Core.Time;

namespace TsnSim.Core.Clocks;

/// <summary>
/// How a node's NIC timestamps frames: at the start-of-frame delimiter, in its PHC's time,
/// rounded down to <see cref="Granularity"/>; the latch sits <see cref="TxLatency"/> before the
/// wire on egress and <see cref="RxLatency"/> after it on ingress; each timestamp may carry
/// Gaussian noise of standard deviation <see cref="Noise"/>.
/// </summary>
public sealed record TimestampConfig(SimTime Granularity, SimTime TxLatency, SimTime RxLatency, SimTime Noise)
{
    /// <summary>8 ns, the resolution of many 1 Gb/s PHYs' timestamp units.</summary>
    public static readonly TimestampConfig Default = new(SimTime.FromNanoseconds(8), SimTime.Zero, SimTime.Zero, SimTime.Zero);
}
