namespace TsnSim.Core.Clocks;

/// <summary>
/// A node's crystal: a constant frequency offset, fixed (<see cref="MinPpm"/> = <see cref="MaxPpm"/>)
/// or drawn uniformly from [min, max] by the node's generator, plus a bounded random-walk
/// wander: every <see cref="Oscillator.WanderStep"/> the frequency moves by a uniform draw in
/// ±<see cref="WanderPpmPerSecond"/> × step, so it never changes faster than that rate, and it
/// stays within ±<see cref="WanderBoundPpm"/> of the drawn offset (the walk reflects there).
/// </summary>
public sealed record OscillatorConfig(double MinPpm, double MaxPpm, double WanderPpmPerSecond, double WanderBoundPpm)
{
    /// <summary>A perfect oscillator: its clock reads true time.</summary>
    public static readonly OscillatorConfig Ideal = new(0, 0, 0, 0);

    /// <summary>The walk's bound when the file gives a wander rate but no bound: ten seconds of walking at full rate.</summary>
    public const double DefaultBoundSeconds = 10;

    public bool IsIdeal => MinPpm == 0 && MaxPpm == 0 && WanderPpmPerSecond == 0;
}
