using System.Numerics;
using TsnSim.Core.Clocks;
using TsnSim.Core.Engine;
using TsnSim.Core.Time;

namespace TsnSim.Tests.Clocks;

/// <summary>
/// The PHC against arithmetic: a clock whose oscillator is y ppm fast reads t × (1 + y·10⁻⁶),
/// an adjustment of a ppb multiplies that by (1 + a·10⁻⁹), a step adds its size, the wander
/// keeps to its rate and bound, and no reading depends on when or how often the clock was read.
/// </summary>
public class PhcClockTests
{
    private static ClockConfig Ppm(double ppm, double wander = 0, double maxAdjustment = ClockConfig.DefaultMaxAdjustmentPpb) =>
        new(new OscillatorConfig(ppm, ppm, wander, wander * OscillatorConfig.DefaultBoundSeconds), maxAdjustment);

    /// <summary>⌊t·(1 + ppm/10⁶)⌋ in exact integer arithmetic, for a whole number of ppm.</summary>
    private static long Expected(long ps, long ppm) => (long)BigInteger.Divide(new BigInteger(ps) * (1_000_000 + ppm), 1_000_000);

    [Theory]
    [InlineData(50)]
    [InlineData(-100)]
    [InlineData(7)]
    public void AFixedOffsetRunsFastOrSlowByExactlyThatMuch(long ppm)
    {
        var clock = new ClockHarness(Ppm(ppm));
        foreach (var t in new[] { 1L, 999_983L, 300_000_000_000L, 1_000_000_000_000L, 7_123_456_789_012L })
            Assert.Equal(Expected(t, ppm), clock.ReadAt(new SimTime(t)).Picoseconds);
    }

    [Fact]
    public void AnIdealClockReadsTrueTime()
    {
        var clock = new ClockHarness(ClockConfig.Ideal);
        foreach (var t in new[] { 0L, 1L, 123_456_789L, 60_000_000_000_000L })
            Assert.Equal(t, clock.ReadAt(new SimTime(t)).Picoseconds);
    }

    [Fact]
    public void AnAdjustmentMultipliesTheRate()
    {
        // 50 ppm fast, adjusted by −50,000 ppb: (1 + 5e-5)(1 − 5e-5) = 1 − 2.5e-9, so 2.5 ns slow per second.
        var clock = new ClockHarness(Ppm(50));
        clock.At(SimTime.Zero, () => Assert.Equal(-50_000, clock.Clock.AdjustFrequency(-50_000)));
        Assert.Equal(1_000_000_000_000L - 2_500, clock.ReadAt(SimTime.FromSeconds(1)).Picoseconds);
        // From 1 s on, no adjustment: the second second gains the oscillator's 50 µs.
        clock.At(SimTime.FromSeconds(1), () => clock.Clock.AdjustFrequency(0));
        Assert.Equal(2_000_000_000_000L - 2_500 + 50_000_000, clock.ReadAt(SimTime.FromSeconds(2)).Picoseconds);
    }

    [Fact]
    public void AdjustmentsAreClampedToTheClocksMaximum()
    {
        var clock = new ClockHarness(Ppm(0, maxAdjustment: 1_000));
        clock.At(SimTime.Zero, () => Assert.Equal(1_000, clock.Clock.AdjustFrequency(5_000)));
        Assert.Equal(1_000_000_000_000L + 1_000_000, clock.ReadAt(SimTime.FromSeconds(1)).Picoseconds);
        clock.At(SimTime.FromSeconds(1), () => Assert.Equal(-1_000, clock.Clock.AdjustFrequency(-1e9)));
    }

    [Fact]
    public void AStepMovesTheReadingByItsSize()
    {
        var clock = new ClockHarness(ClockConfig.Ideal);
        clock.At(SimTime.FromMilliseconds(500), () => clock.Clock.Step(SimTime.FromMicroseconds(-3)));
        Assert.Equal(1_000_000_000_000L - 3_000_000, clock.ReadAt(SimTime.FromSeconds(1)).Picoseconds);
    }

    [Fact]
    public void ReadingsDoNotDependOnWhenOrHowOftenTheClockIsRead()
    {
        var config = new ClockConfig(new OscillatorConfig(-100, 100, 1, 10), ClockConfig.DefaultMaxAdjustmentPpb);
        var often = new ClockHarness(config, seed: 7);
        var once = new ClockHarness(config, seed: 7);
        var readings = new List<long>();
        for (long ms = 1; ms <= 5_000; ms += 7) readings.Add(often.ReadAt(SimTime.FromMilliseconds(ms)).Picoseconds);
        Assert.Equal(often.ReadAt(SimTime.FromSeconds(6)), once.ReadAt(SimTime.FromSeconds(6)));
        // A third clock read at other instants agrees wherever it is read too.
        var sparse = new ClockHarness(config, seed: 7);
        Assert.Equal(readings[^1], sparse.ReadAt(SimTime.FromMilliseconds(1 + 7 * (readings.Count - 1))).Picoseconds);
    }

    [Fact]
    public void AReadingInThePastIgnoresTheChangesMadeSince()
    {
        // The reading at 5.0099 s, taken then, later across a wander step (5.010 s), and later still
        // after an adjustment and a step: always the same picosecond.
        var config = new ClockConfig(new OscillatorConfig(30, 30, 1, 10), ClockConfig.DefaultMaxAdjustmentPpb);
        var past = new SimTime(5_009_900_000_000);
        var then = new ClockHarness(config, seed: 9).ReadAt(past);
        var later = new ClockHarness(config, seed: 9);
        SimTime afterStep = default, afterChanges = default;
        later.At(new SimTime(5_010_000_001_000), () => afterStep = later.Clock.Read(past));
        later.At(new SimTime(5_010_000_002_000), () =>
        {
            later.Clock.AdjustFrequency(-12_345);
            later.Clock.Step(SimTime.FromNanoseconds(77));
            afterChanges = later.Clock.Read(past);
        });
        Assert.Equal(then, afterStep);
        Assert.Equal(then, afterChanges);
    }

    [Fact]
    public void WanderKeepsToItsRateAndItsBound()
    {
        // 1 ppm/s: at most 10 ppb per 10 ms step; bound 0.5 ppm so 60 s of walking must meet it.
        var config = new ClockConfig(new OscillatorConfig(20, 20, 1, 0.5), ClockConfig.DefaultMaxAdjustmentPpb);
        var clock = new ClockHarness(config);
        var rates = new List<double>();
        for (long ms = 0; ms <= 60_000; ms += 10)
            clock.At(SimTime.FromMilliseconds(ms), () => rates.Add(clock.Clock.RateErrorPpb));
        foreach (var (a, b) in rates.Zip(rates.Skip(1))) Assert.True(Math.Abs(b - a) <= 10 + 1e-6, $"the frequency moved {b - a} ppb in one step");
        Assert.All(rates, r => Assert.InRange(r, 20_000 - 500 - 1e-6, 20_000 + 500 + 1e-6));
        // It does wander, and reaches well into its range.
        Assert.True(rates.Max() - rates.Min() > 100, $"the frequency spanned only {rates.Max() - rates.Min()} ppb in 60 s");
    }

    [Fact]
    public void TheOffsetIsDrawnFromTheRangeByTheNodesSeed()
    {
        var config = new ClockConfig(new OscillatorConfig(-100, 100, 0, 0), ClockConfig.DefaultMaxAdjustmentPpb);
        var draws = Enumerable.Range(0, 400).Select(i => new ClockHarness(config, seed: 3, node: $"n{i}").Clock.OscillatorPpm).ToList();
        Assert.All(draws, ppm => Assert.InRange(ppm, -100, 100));
        // Uniform on [−100, 100]: mean 0 with standard error 100/√3/√400 ≈ 2.9 ppm.
        Assert.InRange(draws.Average(), -12, 12);
        Assert.Equal(draws[5], new ClockHarness(config, seed: 3, node: "n5").Clock.OscillatorPpm);
        Assert.NotEqual(draws[5], new ClockHarness(config, seed: 4, node: "n5").Clock.OscillatorPpm);
    }

    [Fact]
    public void ATimerOnTheClockFiresWhenTheClockReadsItsTime()
    {
        var clock = new ClockHarness(Ppm(50));
        clock.At(SimTime.FromMilliseconds(10), () =>
        {
            var target = clock.Clock.Read(clock.Scheduler.Now) + SimTime.FromSeconds(1);
            var fires = clock.Clock.TrueTimeOf(target);
            // One clock second at 50 ppm fast is 1 / (1 + 5e-5) true seconds.
            Assert.InRange(fires.Picoseconds - SimTime.FromMilliseconds(10).Picoseconds, 999_950_002_499L - 1, 999_950_002_499L + 1);
        });
    }

    [Fact]
    public void TimestampsAreTheClockAtTheLatchRoundedDownToTheGranularity()
    {
        var clock = new ClockHarness(ClockConfig.Ideal);
        var stamps = new HardwareTimestamper(new TimestampConfig(SimTime.FromNanoseconds(8), SimTime.FromNanoseconds(5), SimTime.FromNanoseconds(5), SimTime.Zero),
            clock.Clock, new DeterministicRandom(1, "n/timestamps"));
        clock.At(SimTime.FromNanoseconds(2_000), () =>
        {
            // Egress latches 5 ns before the wire: 1003 − 5 = 998 → 992; ingress 5 ns after: 1003 + 5 = 1008 → 1008.
            Assert.Equal(SimTime.FromNanoseconds(992), stamps.Egress(SimTime.FromNanoseconds(1_003)));
            Assert.Equal(SimTime.FromNanoseconds(1_008), stamps.Ingress(SimTime.FromNanoseconds(1_003)));
            Assert.Equal(SimTime.FromNanoseconds(1_000), stamps.Ingress(new SimTime(995_001)));
        });
    }

    [Fact]
    public void TimestampNoiseHasTheConfiguredStandardDeviation()
    {
        var clock = new ClockHarness(ClockConfig.Ideal);
        var stamps = new HardwareTimestamper(new TimestampConfig(SimTime.Zero, SimTime.Zero, SimTime.Zero, SimTime.FromNanoseconds(2)),
            clock.Clock, new DeterministicRandom(1, "n/timestamps"));
        var errors = new List<double>();
        clock.At(SimTime.FromMicroseconds(100), () =>
        {
            for (int i = 0; i < 20_000; i++) errors.Add((stamps.Ingress(SimTime.FromMicroseconds(50)) - SimTime.FromMicroseconds(50)).Picoseconds);
        });
        double mean = errors.Average(), sd = Math.Sqrt(errors.Sum(e => (e - mean) * (e - mean)) / (errors.Count - 1));
        // 20,000 draws: the mean within 4 standard errors (4 × 2000/√20000 ≈ 57 ps), σ within 3 %.
        Assert.InRange(mean, -57, 57);
        Assert.InRange(sd, 1_940, 2_060);
    }
}
