using TsnSim.Core.Engine;
using TsnSim.Core.Time;

namespace TsnSim.Core.Clocks;

/// <summary>
/// A PTP hardware clock driven by the node's oscillator: it runs at (1 + y)(1 + a) times true
/// time, y the oscillator's offset and a the frequency adjustment (ppb, clamped to the clock's
/// maximum, as a PHC refuses more); it can be stepped; it reads to the picosecond. The phase is
/// kept in fixed point (whole picoseconds plus 2^-60 ps), so integrating in one piece or in many
/// gives the same reading to the last bit, whenever the clock happens to be read.
/// </summary>
public sealed class PhcClock
{
    private const int FractionBits = 60;
    private static readonly double FractionScale = Math.Pow(2, FractionBits);
    private static readonly Int128 FractionMask = (Int128.One << FractionBits) - 1;

    private readonly Oscillator _oscillator;
    private readonly Scheduler _scheduler;
    private SimTime _start;
    private long _whole;
    private long _fraction;
    private long _epsilon;

    public PhcClock(ClockConfig config, DeterministicRandom random, Scheduler scheduler)
    {
        Config = config;
        _oscillator = new Oscillator(config.Oscillator, random);
        _scheduler = scheduler;
        UpdateRate();
    }

    public ClockConfig Config { get; }

    /// <summary>The oscillator's constant offset, ppm (drawn once from the configured range).</summary>
    public double OscillatorPpm => _oscillator.BasePpm;

    /// <summary>The frequency adjustment in effect, ppb.</summary>
    public double AdjustmentPpb { get; private set; }

    /// <summary>The clock's rate error now, (1 + y)(1 + a) − 1, in ppb.</summary>
    public double RateErrorPpb
    {
        get
        {
            CommitTo(_scheduler.Now);
            return _epsilon / FractionScale * 1e9;
        }
    }

    /// <summary>The clock's reading at true time <paramref name="at"/>, to the picosecond (rounded down).</summary>
    public SimTime Read(SimTime at)
    {
        var now = _scheduler.Now;
        // Never integrate past the present: an adjustment made now must apply from now on. A
        // reading a little ahead (a timestamp point in the frame being sent) or behind (one that
        // has arrived) extrapolates at the present rate; between wander steps that is exact.
        if (at > _start && now > _start) CommitTo(at < now ? at : now);
        long dt = at.Picoseconds - _start.Picoseconds;
        Int128 total = _fraction + (Int128)dt * _epsilon;
        return new SimTime(_whole + dt + (long)(total >> FractionBits));
    }

    /// <summary>Sets the frequency adjustment from now on; returns what the clock accepted (clamped to its maximum).</summary>
    public double AdjustFrequency(double ppb)
    {
        CommitTo(_scheduler.Now);
        double max = Config.MaxAdjustmentPpb;
        AdjustmentPpb = Math.Clamp(ppb, -max, max);
        UpdateRate();
        return AdjustmentPpb;
    }

    /// <summary>Steps the clock by <paramref name="delta"/> now.</summary>
    public void Step(SimTime delta)
    {
        CommitTo(_scheduler.Now);
        _whole += delta.Picoseconds;
    }

    /// <summary>
    /// The true time at which the clock will read <paramref name="reading"/>, at its present
    /// rate: where a timer set on this clock fires. A rate change before then moves the instant
    /// the clock reads it by (time to go) × (change), which the timer does not follow.
    /// </summary>
    public SimTime TrueTimeOf(SimTime reading)
    {
        var now = _scheduler.Now;
        long ahead = reading.Picoseconds - Read(now).Picoseconds;
        return now + new SimTime((long)Math.Round(ahead / (1 + _epsilon / FractionScale)));
    }

    private void CommitTo(SimTime at)
    {
        while (_oscillator.NextStep <= at)
        {
            Integrate(_oscillator.NextStep);
            _oscillator.Step();
            UpdateRate();
        }
        if (at > _start) Integrate(at);
    }

    private void Integrate(SimTime to)
    {
        long dt = to.Picoseconds - _start.Picoseconds;
        Int128 total = _fraction + (Int128)dt * _epsilon;
        _whole += dt + (long)(total >> FractionBits);
        _fraction = (long)(total & FractionMask);
        _start = to;
    }

    /// <summary>
    /// The rate error in units of 2^-60, from the decimal ppm and ppb (so 50 ppm is 50·10⁻⁶, not
    /// its nearest double), rounded up: a reading is then never below the exact one, and is off by
    /// less than 10⁻⁶ ps after an hour, so whole-picosecond readings come out exact.
    /// </summary>
    private void UpdateRate()
    {
        decimal y = (decimal)_oscillator.Ppm / 1_000_000m, a = (decimal)AdjustmentPpb / 1_000_000_000m;
        _epsilon = (long)decimal.Ceiling((y + a + y * a) * DecimalScale);
    }

    private static readonly decimal DecimalScale = 1UL << FractionBits;
}
