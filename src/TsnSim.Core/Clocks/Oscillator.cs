using TsnSim.Core.Engine;
using TsnSim.Core.Time;

namespace TsnSim.Core.Clocks;

/// <summary>
/// The frequency offset of a node's crystal as a function of true time: a constant drawn once,
/// plus a random walk that steps every <see cref="WanderStep"/>. The walk is drawn step by step
/// in time order from a generator of its own, so the path depends only on (seed, node) and never
/// on when, or how often, the clock is read.
/// </summary>
public sealed class Oscillator
{
    /// <summary>How often the wander moves: fine enough that the frequency looks continuous to a servo sampling every 125 ms.</summary>
    public static readonly SimTime WanderStep = SimTime.FromMilliseconds(10);

    private readonly DeterministicRandom _random;
    private readonly double _stepPpm;
    private readonly double _boundPpm;
    private double _wanderPpm;

    public Oscillator(OscillatorConfig config, DeterministicRandom random)
    {
        _random = random;
        BasePpm = config.MinPpm == config.MaxPpm ? config.MinPpm : config.MinPpm + (config.MaxPpm - config.MinPpm) * _random.NextDouble();
        _stepPpm = config.WanderPpmPerSecond * WanderStep.Picoseconds / 1e12;
        _boundPpm = config.WanderBoundPpm;
        NextStep = _stepPpm > 0 ? WanderStep : SimTime.MaxValue;
    }

    /// <summary>The constant part of the offset, in ppm.</summary>
    public double BasePpm { get; }

    /// <summary>The offset in effect now (ppm): base plus wander.</summary>
    public double Ppm => BasePpm + _wanderPpm;

    /// <summary>True time of the next wander step; <see cref="SimTime.MaxValue"/> when the oscillator does not wander.</summary>
    public SimTime NextStep { get; private set; }

    /// <summary>Takes the step due at <see cref="NextStep"/>.</summary>
    public void Step()
    {
        double next = _wanderPpm + (2 * _random.NextDouble() - 1) * _stepPpm;
        // Reflect at the bound, so the walk stays within it without sticking to it.
        if (next > _boundPpm) next = 2 * _boundPpm - next;
        else if (next < -_boundPpm) next = -2 * _boundPpm - next;
        _wanderPpm = next;
        NextStep += WanderStep;
    }

}
