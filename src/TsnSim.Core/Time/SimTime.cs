using System.Globalization;

namespace TsnSim.Core.Time;

/// <summary>
/// True simulation time: a whole number of picoseconds. Integer time keeps every sum exact
/// (a 1 Gb/s byte is exactly 8000 ps) and makes event order a pure function of the model.
/// </summary>
public readonly record struct SimTime(long Picoseconds) : IComparable<SimTime>
{
    public const long PicosecondsPerNanosecond = 1_000;
    public const long PicosecondsPerMicrosecond = 1_000_000;
    public const long PicosecondsPerMillisecond = 1_000_000_000;
    public const long PicosecondsPerSecond = 1_000_000_000_000;

    public static readonly SimTime Zero = new(0);
    public static readonly SimTime MaxValue = new(long.MaxValue);

    /// <summary><paramref name="ps"/> + <paramref name="delta"/> (≥ 0), staying at <see cref="long.MaxValue"/> ("never") rather than wrapping.</summary>
    public static long AddSaturating(long ps, long delta) => ps >= long.MaxValue - delta ? long.MaxValue : ps + delta;

    public static SimTime FromNanoseconds(long ns) => new(checked(ns * PicosecondsPerNanosecond));
    public static SimTime FromMicroseconds(long us) => new(checked(us * PicosecondsPerMicrosecond));
    public static SimTime FromMilliseconds(long ms) => new(checked(ms * PicosecondsPerMillisecond));
    public static SimTime FromSeconds(long s) => new(checked(s * PicosecondsPerSecond));

    public double TotalNanoseconds => Picoseconds / (double)PicosecondsPerNanosecond;
    public double TotalSeconds => Picoseconds / (double)PicosecondsPerSecond;

    public int CompareTo(SimTime other) => Picoseconds.CompareTo(other.Picoseconds);

    public static SimTime operator +(SimTime a, SimTime b) => new(a.Picoseconds + b.Picoseconds);
    public static SimTime operator -(SimTime a, SimTime b) => new(a.Picoseconds - b.Picoseconds);
    public static SimTime operator *(SimTime a, long factor) => new(a.Picoseconds * factor);
    public static bool operator <(SimTime a, SimTime b) => a.Picoseconds < b.Picoseconds;
    public static bool operator >(SimTime a, SimTime b) => a.Picoseconds > b.Picoseconds;
    public static bool operator <=(SimTime a, SimTime b) => a.Picoseconds <= b.Picoseconds;
    public static bool operator >=(SimTime a, SimTime b) => a.Picoseconds >= b.Picoseconds;

    private static readonly (string Suffix, long Scale)[] Units =
    [
        ("ps", 1), ("ns", PicosecondsPerNanosecond), ("us", PicosecondsPerMicrosecond),
        ("µs", PicosecondsPerMicrosecond), ("μs", PicosecondsPerMicrosecond),
        ("ms", PicosecondsPerMillisecond), ("s", PicosecondsPerSecond),
    ];

    /// <summary>
    /// Parses <c>500ns</c>, <c>1.5us</c>, <c>10ms</c>, <c>2s</c>, <c>1e-6s</c>, <c>250ps</c> and a bare
    /// <c>0</c>. The value must be a whole number of picoseconds: a duration that silently rounded
    /// would break the exact sums the models rely on.
    /// </summary>
    public static bool TryParse(string? text, out SimTime value, out string error)
    {
        value = Zero;
        var s = text?.Trim() ?? "";
        if (s.Length == 0)
        {
            error = "a duration is empty; expected a number with a unit such as 500ns, 1.5us, 10ms, 2s or 1e-6s";
            return false;
        }
        long scale = 0;
        string number = s;
        // Two-letter units come first in the table, so "ms" wins over its suffix "s".
        foreach (var (suffix, unitScale) in Units)
        {
            if (!s.EndsWith(suffix, StringComparison.Ordinal)) continue;
            scale = unitScale;
            number = s[..^suffix.Length].TrimEnd();
            break;
        }
        if (scale == 0)
        {
            if (decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var bare) && bare == 0)
            {
                error = "";
                return true;
            }
            error = $"'{s}' has no time unit; expected a number with one of ps, ns, us, ms, s (for example 1.5us)";
            return false;
        }
        if (!decimal.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var magnitude))
        {
            error = $"'{s}' is not a number followed by a time unit; expected for example 500ns, 1.5us, 10ms, 2s or 1e-6s";
            return false;
        }
        decimal ps;
        try { ps = magnitude * scale; }
        catch (OverflowException)
        {
            error = $"'{s}' is too long; the longest duration is about 106 days (2^63 ps)";
            return false;
        }
        if (ps != decimal.Truncate(ps))
        {
            error = $"'{s}' is not a whole number of picoseconds; the finest resolution is 1ps";
            return false;
        }
        if (ps > long.MaxValue || ps < long.MinValue)
        {
            error = $"'{s}' is too long; the longest duration is about 106 days (2^63 ps)";
            return false;
        }
        value = new SimTime((long)ps);
        error = "";
        return true;
    }

    public static SimTime Parse(string text) =>
        TryParse(text, out var value, out var error) ? value : throw new FormatException(error);

    /// <summary>Prints in the largest unit that keeps the value at one or more, exactly (no rounding).</summary>
    public override string ToString()
    {
        if (Picoseconds == 0) return "0s";
        long abs = Math.Abs(Picoseconds);
        var (suffix, scale) = abs >= PicosecondsPerSecond ? ("s", PicosecondsPerSecond)
            : abs >= PicosecondsPerMillisecond ? ("ms", PicosecondsPerMillisecond)
            : abs >= PicosecondsPerMicrosecond ? ("us", PicosecondsPerMicrosecond)
            : abs >= PicosecondsPerNanosecond ? ("ns", PicosecondsPerNanosecond)
            : ("ps", 1L);
        decimal magnitude = (decimal)Picoseconds / scale;
        return magnitude.ToString("0.############", CultureInfo.InvariantCulture) + suffix;
    }
}
