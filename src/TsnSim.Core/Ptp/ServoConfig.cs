using TsnSim.Core.Time;

namespace TsnSim.Core.Ptp;

/// <summary>
/// The PI servo's settings with linuxptp's names and defaults for hardware timestamps:
/// kp = kp_scale × interval^kp_exponent (at most kp_norm_max / interval), ki likewise; the first
/// offset above first_step_threshold steps the clock, any offset above step_threshold (0: never)
/// resets the servo; the frequency adjustment never exceeds max_frequency.
/// </summary>
public sealed record ServoConfig
{
    public double KpScale { get; init; } = 0.7;
    public double KpExponent { get; init; } = -0.3;
    public double KpNormMax { get; init; } = 0.7;
    public double KiScale { get; init; } = 0.3;
    public double KiExponent { get; init; } = 0.4;
    public double KiNormMax { get; init; } = 0.3;
    public SimTime FirstStepThreshold { get; init; } = SimTime.FromMicroseconds(20);
    public SimTime StepThreshold { get; init; } = SimTime.Zero;
    public double MaxFrequencyPpb { get; init; } = 900_000_000;

    public static readonly ServoConfig Default = new();
}
