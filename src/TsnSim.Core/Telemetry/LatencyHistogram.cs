using HdrHistogram;
using HdrHistogram.Utilities;

namespace TsnSim.Core.Telemetry;

/// <summary>
/// A stream's latencies in bounded memory, however long the run: exact count, sum, minimum and
/// maximum (picoseconds), and an HdrHistogram of whole nanoseconds with 4 significant digits
/// for the percentiles. Histograms from several nodes or intervals add up exactly, so a merged
/// histogram is the one a single process would have filled.
/// </summary>
/// <remarks>
/// Bucket width is 1 ns below 2^15 ns (32.768 µs) and 2^(k−14) ns in [2^k, 2^(k+1)) ns above:
/// a reported percentile is at most the exact nearest-rank latency and less than one bucket
/// width below it (under 1 ns below 32.768 µs, under value / 16384 above). 3 significant digits
/// would give 64 ns buckets at 100 µs, too coarse for the sub-microsecond differences a TSN
/// schedule makes. Memory is fixed by the range, not the run: about 2.8 MB per histogram, taken
/// at the first sample (a node that never receives a stream allocates nothing for it).
/// </remarks>
public sealed class LatencyHistogram
{
    /// <summary>Significant decimal digits the histogram keeps (HdrHistogram's precision setting).</summary>
    public const int SignificantDigits = 4;

    /// <summary>
    /// Latencies above this (10 s) count in the top bucket for percentiles; minimum, mean and
    /// maximum stay exact. A frame late by 10 s has long stopped being a latency question.
    /// </summary>
    public const long HighestTrackableNs = 10_000_000_000;

    private LongHistogram? _buckets;

    public long Count { get; private set; }
    public Int128 SumPs { get; private set; }
    public long MinPs { get; private set; } = long.MaxValue;
    public long MaxPs { get; private set; } = long.MinValue;

    /// <summary>The HdrHistogram of whole nanoseconds, null until the first sample.</summary>
    public HistogramBase? Buckets => _buckets;

    public void Record(long latencyPs)
    {
        Count++;
        SumPs += latencyPs;
        if (latencyPs < MinPs) MinPs = latencyPs;
        if (latencyPs > MaxPs) MaxPs = latencyPs;
        // A Tx timestamp latched before the handoff time (a Tx latency longer than the preamble) counts as 0 in the buckets; min and mean stay exact.
        (_buckets ??= NewBuckets()).RecordValue(Math.Clamp(latencyPs / 1000, 0, HighestTrackableNs));
    }

    /// <summary>Adds another histogram's samples (another node's, or a later interval's).</summary>
    public void Add(LatencyHistogram other)
    {
        if (other.Count == 0) return;
        Count += other.Count;
        SumPs += other.SumPs;
        MinPs = Math.Min(MinPs, other.MinPs);
        MaxPs = Math.Max(MaxPs, other.MaxPs);
        if (other._buckets is { } buckets) (_buckets ??= NewBuckets()).Add(buckets);
    }

    /// <summary>Forgets every sample, keeping the buckets' memory for the next interval.</summary>
    public void Reset()
    {
        Count = 0;
        SumPs = 0;
        MinPs = long.MaxValue;
        MaxPs = long.MinValue;
        _buckets?.Reset();
    }

    /// <summary>The buckets in HdrHistogram's V2 compressed encoding (empty when there is no sample).</summary>
    public byte[] EncodeBuckets(ref ByteBuffer? scratch)
    {
        if (_buckets is null || _buckets.TotalCount == 0) return [];
        int needed = _buckets.GetNeededByteBufferCapacity();
        if (scratch is null || scratch.Capacity() < needed) scratch = ByteBuffer.Allocate(needed);
        scratch.Position = 0;
        int length = _buckets.EncodeIntoCompressedByteBuffer(scratch);
        // The buffer's own array is not public: read the encoding back a byte at a time (it is small).
        var bytes = new byte[length];
        scratch.Position = 0;
        for (int i = 0; i < length; i++) bytes[i] = scratch.Get();
        return bytes;
    }

    /// <summary>
    /// A histogram from its exact figures and encoded buckets, as another process sent them.
    /// Throws <see cref="FormatException"/> when the buckets do not decode or do not match the count.
    /// </summary>
    public static LatencyHistogram FromParts(long count, Int128 sumPs, long minPs, long maxPs, ReadOnlySpan<byte> encodedBuckets)
    {
        var histogram = new LatencyHistogram();
        if (count == 0) return histogram;
        var buckets = NewBuckets();
        try
        {
            var decoded = HistogramEncoding.DecodeFromCompressedByteBuffer(ByteBuffer.Allocate(encodedBuckets.ToArray()), HighestTrackableNs);
            if (decoded.NumberOfSignificantValueDigits != SignificantDigits)
                throw new FormatException($"latency histogram keeps {decoded.NumberOfSignificantValueDigits} significant digits; expected {SignificantDigits}");
            buckets.Add(decoded);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or IndexOutOfRangeException or NotSupportedException)
        {
            throw new FormatException($"latency histogram does not decode: {e.Message}", e);
        }
        if (buckets.TotalCount != count)
            throw new FormatException($"latency histogram holds {buckets.TotalCount} samples but the count says {count}");
        histogram.Count = count;
        histogram.SumPs = sumPs;
        histogram.MinPs = minPs;
        histogram.MaxPs = maxPs;
        histogram._buckets = buckets;
        return histogram;
    }

    /// <summary>
    /// Nearest-rank percentiles (per mille: 500 is the median, 999 is p99.9) in picoseconds: the
    /// lower end of the bucket holding the exact value, raised to the exact minimum when below
    /// it. So a reported percentile is never above the exact one, and less than a bucket below.
    /// </summary>
    public long[] PercentilesPs(params int[] perMille)
    {
        var result = new long[perMille.Length];
        if (Count == 0 || _buckets is null) return result;
        var ranks = perMille.Select(p => Math.Max(1, (p * Count + 999) / 1000)).ToArray();
        int left = ranks.Length;
        var found = new bool[ranks.Length];
        foreach (var bucket in _buckets.RecordedValues())
        {
            for (int i = 0; i < ranks.Length; i++)
            {
                if (found[i] || bucket.TotalCountToThisValue < ranks[i]) continue;
                found[i] = true;
                left--;
                // Within the exact extremes: a bucket is never quoted below the least or above the greatest value recorded.
                result[i] = Math.Clamp(_buckets.LowestEquivalentValue(bucket.ValueIteratedTo) * 1000, MinPs, MaxPs);
            }
            if (left == 0) break;
        }
        return result;
    }

    private static LongHistogram NewBuckets() => new(1, HighestTrackableNs, SignificantDigits);
}
