using System.Text.Json.Serialization;

namespace TsnSim.Core.Telemetry;

/// <summary>
/// Latency figures of one stream in nanoseconds (from exact picoseconds). Percentiles are
/// nearest-rank: p99 is the smallest latency that at least 99 % of frames did not exceed.
/// </summary>
public sealed record LatencySummary(
    [property: JsonPropertyName("min")] double Min,
    [property: JsonPropertyName("mean")] double Mean,
    [property: JsonPropertyName("p50")] double P50,
    [property: JsonPropertyName("p99")] double P99,
    [property: JsonPropertyName("max")] double Max)
{
    /// <summary>Null when there is no sample.</summary>
    public static LatencySummary? FromPicoseconds(List<long> latencies)
    {
        if (latencies.Count == 0) return null;
        var sorted = latencies.ToArray();
        Array.Sort(sorted);
        Int128 sum = 0;
        foreach (var l in sorted) sum += l;
        return new LatencySummary(
            Ns(sorted[0]),
            (double)sum / sorted.Length / 1000.0,
            Ns(NearestRank(sorted, 50)),
            Ns(NearestRank(sorted, 99)),
            Ns(sorted[^1]));
    }

    public static long NearestRank(long[] sorted, int percentile)
    {
        long rank = ((long)percentile * sorted.Length + 99) / 100;
        return sorted[Math.Max(0, rank - 1)];
    }

    private static double Ns(long ps) => ps / 1000.0;
}
