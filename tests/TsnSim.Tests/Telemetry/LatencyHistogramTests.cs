using TsnSim.Core.Telemetry;

namespace TsnSim.Tests.Telemetry;

/// <summary>
/// The histogram's figures against the exact ones computed from the sorted list of the same
/// latencies, within the bound docs/report-format.md states; and histograms merged from several
/// nodes (through the encoding nodes send) against one histogram of every sample.
/// </summary>
public class LatencyHistogramTests
{
    private static readonly int[] PerMille = [500, 990, 999];

    /// <summary>Latencies across the magnitudes a TSN run sees: sub-µs to ms, with repeats and outliers.</summary>
    private static long[] Latencies(int seed, int count)
    {
        var random = new Random(seed);
        var values = new long[count];
        for (int i = 0; i < count; i++)
        {
            double magnitudeNs = Math.Pow(10, 2 + random.NextDouble() * 4.5);
            values[i] = random.Next(10) == 0 ? 100_125_000 : (long)(magnitudeNs * 1000) + random.Next(1000);
        }
        return values;
    }

    /// <summary>Nearest rank: the smallest value that at least p ‰ of the samples do not exceed.</summary>
    private static long NearestRank(long[] sorted, int perMille) =>
        sorted[(int)Math.Max(0, (long)Math.Ceiling(perMille * (decimal)sorted.Length / 1000) - 1)];

    /// <summary>The documented bucket width around a value: 1 ns below 2^15 ns, 2^(k−14) ns in [2^k, 2^(k+1)).</summary>
    private static long BucketWidthPs(long valuePs)
    {
        long ns = valuePs / 1000;
        if (ns < 1 << 15) return 1000;
        int k = 63 - (int)long.LeadingZeroCount(ns);
        return (1L << (k - 14)) * 1000;
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 7)]
    [InlineData(3, 1000)]
    [InlineData(4, 54_321)]
    public void PercentilesAreWithinOneBucketBelowTheExactNearestRank(int seed, int count)
    {
        var latencies = Latencies(seed, count);
        var histogram = new LatencyHistogram();
        foreach (var l in latencies) histogram.Record(l);
        var sorted = latencies.Order().ToArray();

        var reported = histogram.PercentilesPs(PerMille);
        for (int i = 0; i < PerMille.Length; i++)
        {
            long exact = NearestRank(sorted, PerMille[i]);
            Assert.True(reported[i] <= exact, $"p{PerMille[i] / 10.0}: reported {reported[i]} ps above exact {exact} ps");
            Assert.True(exact - reported[i] < BucketWidthPs(exact), $"p{PerMille[i] / 10.0}: reported {reported[i]} ps, exact {exact} ps");
        }
        var summary = LatencySummary.Of(histogram)!;
        Assert.Equal(sorted[0] / 1000.0, summary.Min);
        Assert.Equal(sorted[^1] / 1000.0, summary.Max);
        Assert.Equal((double)latencies.Aggregate(Int128.Zero, (s, l) => s + l) / count / 1000.0, summary.Mean);
    }

    [Fact]
    public void WholeNanosecondLatenciesBelow32MicrosecondsComeOutExact()
    {
        var latencies = Enumerable.Range(0, 5000).Select(i => (long)(1000 + i * 37 % 31_000) * 1000).ToArray();
        var histogram = new LatencyHistogram();
        foreach (var l in latencies) histogram.Record(l);
        var sorted = latencies.Order().ToArray();
        Assert.Equal(PerMille.Select(p => NearestRank(sorted, p)), histogram.PercentilesPs(PerMille));
    }

    [Fact]
    public void NodeHistogramsSentAndMergedEqualOneHistogramOfEverySample()
    {
        var latencies = Latencies(5, 20_000);
        var whole = new LatencyHistogram();
        var perNode = new[] { new LatencyHistogram(), new LatencyHistogram(), new LatencyHistogram() };
        var merged = new LatencyHistogram();
        HdrHistogram.Utilities.ByteBuffer? scratch = null;
        for (int i = 0; i < latencies.Length; i++)
        {
            whole.Record(latencies[i]);
            var node = perNode[latencies[i] % 3];
            node.Record(latencies[i]);
            // Every so often a node sends what it has since its last sample, as the sampler does.
            if (i % 4096 == 4095 || i == latencies.Length - 1)
                foreach (var n in perNode)
                {
                    merged.Add(LatencyHistogram.FromParts(n.Count, n.SumPs, n.MinPs, n.MaxPs, n.EncodeBuckets(ref scratch)));
                    n.Reset();
                }
        }
        Assert.Equal(whole.Count, merged.Count);
        Assert.Equal(LatencySummary.Of(whole), LatencySummary.Of(merged));
        int[] everyPerMille = Enumerable.Range(1, 1000).ToArray();
        Assert.Equal(whole.PercentilesPs(everyPerMille), merged.PercentilesPs(everyPerMille));
    }

    [Fact]
    public void BucketsThatDoNotDecodeOrDisagreeWithTheCountAreRefused()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(5_000_000);
        HdrHistogram.Utilities.ByteBuffer? scratch = null;
        var encoded = histogram.EncodeBuckets(ref scratch);
        var miscounted = Assert.Throws<FormatException>(() => LatencyHistogram.FromParts(2, 10_000_000, 5_000_000, 5_000_000, encoded));
        Assert.Contains("holds 1 samples but the count says 2", miscounted.Message);
        Assert.Throws<FormatException>(() => LatencyHistogram.FromParts(1, 5_000_000, 5_000_000, 5_000_000, [1, 2, 3, 4, 5, 6, 7, 8]));
    }
}
