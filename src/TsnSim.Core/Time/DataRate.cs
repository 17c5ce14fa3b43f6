using System.Globalization;

namespace TsnSim.Core.Time;

/// <summary>A line or stream rate in bits per second.</summary>
public readonly record struct DataRate(long BitsPerSecond)
{
    public static readonly DataRate Minimum = new(10_000_000);
    public static readonly DataRate Maximum = new(400_000_000_000);

    public static DataRate FromMegabits(long mbps) => new(mbps * 1_000_000);
    public static DataRate FromGigabits(long gbps) => new(gbps * 1_000_000_000);

    /// <summary>
    /// Time to send <paramref name="bytes"/> at this rate, rounded to the nearest picosecond
    /// (exact for every standard Ethernet rate, whose byte times are whole picoseconds).
    /// </summary>
    public SimTime TimeFor(long bytes) => new(Math.DivRem(checked(bytes * 8 * SimTime.PicosecondsPerSecond) + BitsPerSecond / 2, BitsPerSecond).Quotient);

    private static readonly (string Prefix, long Scale)[] Prefixes =
        [("k", 1_000), ("K", 1_000), ("M", 1_000_000), ("G", 1_000_000_000), ("T", 1_000_000_000_000), ("", 1)];

    /// <summary>Parses <c>1Gbps</c>, <c>2.5Gb/s</c>, <c>100Mbps</c>, <c>400G</c>, <c>10M</c> or a bare number of bit/s.</summary>
    public static bool TryParse(string? text, out DataRate value, out string error)
    {
        value = default;
        var s = (text ?? "").Trim();
        var body = s;
        foreach (var unit in new[] { "bps", "bit/s", "b/s" })
            if (body.EndsWith(unit, StringComparison.Ordinal)) { body = body[..^unit.Length]; break; }
        long scale = 1;
        foreach (var (prefix, prefixScale) in Prefixes)
            if (prefix.Length > 0 && body.EndsWith(prefix, StringComparison.Ordinal)) { body = body[..^1]; scale = prefixScale; break; }
        if (body.Length == 0 || !decimal.TryParse(body, NumberStyles.Float, CultureInfo.InvariantCulture, out var magnitude))
        {
            error = $"'{s}' is not a rate; expected a number with a unit such as 100Mbps, 1Gbps, 2.5Gb/s or 10G";
            return false;
        }
        decimal bps = magnitude * scale;
        if (bps != decimal.Truncate(bps) || bps > long.MaxValue)
        {
            error = $"'{s}' is not a whole number of bit/s within range";
            return false;
        }
        if (bps <= 0)
        {
            error = $"'{s}' is not positive; a rate must be greater than zero";
            return false;
        }
        value = new DataRate((long)bps);
        error = "";
        return true;
    }

    public static DataRate Parse(string text) =>
        TryParse(text, out var value, out var error) ? value : throw new FormatException(error);

    public override string ToString()
    {
        foreach (var (prefix, scale) in new[] { ("G", 1_000_000_000L), ("M", 1_000_000L), ("k", 1_000L) })
            if (BitsPerSecond >= scale)
                return ((decimal)BitsPerSecond / scale).ToString("0.#########", CultureInfo.InvariantCulture) + prefix + "bps";
        return BitsPerSecond.ToString(CultureInfo.InvariantCulture) + "bps";
    }
}
