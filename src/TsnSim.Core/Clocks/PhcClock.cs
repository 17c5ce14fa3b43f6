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

    // The state at the last few rate changes and steps, each as it stood just before: a reading a
    // little in the past (a frame's timestamp point, read when its last bit arrives) is computed
    // from the segment it falls in, so it is exact whatever was committed since.
    private const int HistoryLength = 8;
    private readonly (long Time, long Whole, long Fraction, long Epsilon)[] _history = new (long, long, long, long)[HistoryLength];
    private int _historyCount;

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
        // A reading from before the last change: the earliest change after it closed its segment.
        (long Time, long Whole, long Fraction, long Epsilon) from = (_start.Picoseconds, _whole, _fraction, _epsilon);
        for (int i = 0; i < Math.Min(_historyCount, HistoryLength); i++)
        {
            var change = _history[(_historyCount - 1 - i) % HistoryLength];
            if (change.Time <= at.Picoseconds) break;
            from = change;
        }
        long dt = at.Picoseconds - from.Time;
        Int128 total = from.Fraction + (Int128)dt * from.Epsilon;
        return new SimTime(from.Whole + dt + (long)(total >> FractionBits));
    }

    /// <summary>Keeps the state as it stands at <see cref="_start"/>, just before a change of rate or a step.</summary>
    private void Remember() => _history[_historyCount++ % HistoryLength] = (_start.Picoseconds, _whole, _fraction, _epsilon);

    /// <summary>Sets the frequency adjustment from now on; returns what the clock accepted (clamped to its maximum).</summary>
    public double AdjustFrequency(double ppb)
    {
        CommitTo(_scheduler.Now);
        Remember();
        double max = Config.MaxAdjustmentPpb;
        AdjustmentPpb = Math.Clamp(ppb, -max, max);
        UpdateRate();
        return AdjustmentPpb;
    }

    /// <summary>Steps the clock by <paramref name="delta"/> now.</summary>
    public void Step(SimTime delta)
    {
        CommitTo(_scheduler.Now);
        Remember();
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
            Remember();
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
