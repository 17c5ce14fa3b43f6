using TsnSim.Core.Engine;
using TsnSim.Core.Time;

namespace TsnSim.Core.Clocks;

/// <summary>
/// A NIC's timestamp unit: the PHC's reading when a frame's start-of-frame delimiter passes
/// the latch, rounded down to the granularity. The latch sits the Tx latency before the wire
/// on egress and the Rx latency after it on ingress; optional Gaussian noise comes from a
/// generator of the node's own, drawn in event order.
/// </summary>
public sealed class HardwareTimestamper(TimestampConfig config, PhcClock clock, DeterministicRandom noise)
{
    private double? _spare;

    public TimestampConfig Config { get; } = config;

    /// <summary>Egress timestamp of a frame whose SFD reaches the wire at <paramref name="sfdOnWire"/>.</summary>
    public SimTime Egress(SimTime sfdOnWire) => Quantize(clock.Read(sfdOnWire - Config.TxLatency));

    /// <summary>Ingress timestamp of a frame whose SFD arrives from the wire at <paramref name="sfdOnWire"/>.</summary>
    public SimTime Ingress(SimTime sfdOnWire) => Quantize(clock.Read(sfdOnWire + Config.RxLatency));

    private SimTime Quantize(SimTime reading)
    {
        long ps = reading.Picoseconds;
        if (Config.Noise.Picoseconds > 0) ps += (long)Math.Round(Gaussian() * Config.Noise.Picoseconds);
        long granularity = Config.Granularity.Picoseconds;
        if (granularity <= 1) return new SimTime(ps);
        long remainder = ps % granularity;
        if (remainder < 0) remainder += granularity;
        return new SimTime(ps - remainder);
    }

    /// <summary>Standard normal deviates by the Marsaglia polar method, two at a time.</summary>
    private double Gaussian()
    {
        if (_spare is { } spare)
        {
            _spare = null;
            return spare;
        }
        double u, v, s;
        do
        {
            u = 2 * noise.NextDouble() - 1;
            v = 2 * noise.NextDouble() - 1;
            s = u * u + v * v;
        }
        while (s >= 1 || s == 0);
        double factor = Math.Sqrt(-2 * Math.Log(s) / s);
        _spare = v * factor;
        return u * factor;
    }
}
