using System.Text.Json.Serialization;

namespace TsnSim.Core.Telemetry;

/// <summary>
/// Latency figures of one stream in nanoseconds. Minimum, mean and maximum are exact (from
/// picoseconds); percentiles are nearest-rank (p99 is the smallest latency that at least 99 % of
/// frames did not exceed) read from a <see cref="LatencyHistogram"/>, within its stated bound.
/// </summary>
public sealed record LatencySummary(
    [property: JsonPropertyName("min")] double Min,
    [property: JsonPropertyName("mean")] double Mean,
    [property: JsonPropertyName("p50")] double P50,
    [property: JsonPropertyName("p99")] double P99,
    [property: JsonPropertyName("p999")] double P999,
    [property: JsonPropertyName("max")] double Max)
{
    /// <summary>Null when there is no sample.</summary>
    public static LatencySummary? Of(LatencyHistogram latencies)
    {
        if (latencies.Count == 0) return null;
        var percentiles = latencies.PercentilesPs(500, 990, 999);
        return new LatencySummary(
            Ns(latencies.MinPs),
            (double)latencies.SumPs / latencies.Count / 1000.0,
            Ns(percentiles[0]),
            Ns(percentiles[1]),
            Ns(percentiles[2]),
            Ns(latencies.MaxPs));
    }

    private static double Ns(long ps) => ps / 1000.0;
}
