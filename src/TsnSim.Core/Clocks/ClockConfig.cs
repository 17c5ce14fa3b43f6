namespace TsnSim.Core.Clocks;

/// <summary>A node's PTP hardware clock: its oscillator and the largest frequency adjustment it accepts.</summary>
public sealed record ClockConfig(OscillatorConfig Oscillator, double MaxAdjustmentPpb)
{
    /// <summary>±500 ppm, as many PHCs allow (Linux's max_adj); enough to correct any crystal within ±100 ppm.</summary>
    public const double DefaultMaxAdjustmentPpb = 500_000;

    public static readonly ClockConfig Ideal = new(OscillatorConfig.Ideal, DefaultMaxAdjustmentPpb);
}
