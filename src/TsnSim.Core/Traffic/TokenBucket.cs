namespace TsnSim.Core.Traffic;

/// <summary>
/// A token bucket in exact integer arithmetic: tokens are counted in bit·picosecond·s⁻¹ units
/// (bits × 10¹²), so filling at any rate for any time loses nothing to rounding.
/// </summary>
public sealed class TokenBucket
{
    private const long PicosecondsPerSecond = 1_000_000_000_000;
    private Int128 _tokens;
    private long _updatedPs;

    public TokenBucket(TokenBucketConfig config, long nowPs)
    {
        Config = config;
        _tokens = Capacity;
        _updatedPs = nowPs;
    }

    public TokenBucketConfig Config { get; private set; }

    private Int128 Capacity => (Int128)Config.BurstBytes * 8 * PicosecondsPerSecond;

    /// <summary>A new rate (the tokens gathered so far kept, up to the bucket's size).</summary>
    public void Reconfigure(TokenBucketConfig config, long nowPs)
    {
        Fill(nowPs);
        Config = config;
        if (_tokens > Capacity) _tokens = Capacity;
    }

    /// <summary>Takes the tokens for <paramref name="wireBytes"/> if the bucket has them now.</summary>
    public bool TryTake(int wireBytes, long nowPs)
    {
        Fill(nowPs);
        Int128 cost = (Int128)wireBytes * 8 * PicosecondsPerSecond;
        if (_tokens < cost) return false;
        _tokens -= cost;
        return true;
    }

    /// <summary>When the bucket will hold the tokens for <paramref name="wireBytes"/> (at or after <paramref name="nowPs"/>).</summary>
    public long ReadyAtPs(int wireBytes, long nowPs)
    {
        Fill(nowPs);
        Int128 missing = (Int128)wireBytes * 8 * PicosecondsPerSecond - _tokens;
        if (missing <= 0) return nowPs;
        long rate = Config.Rate.BitsPerSecond;
        return nowPs + (long)((missing + rate - 1) / rate);
    }

    private void Fill(long nowPs)
    {
        if (nowPs > _updatedPs)
        {
            _tokens += (Int128)Config.Rate.BitsPerSecond * (nowPs - _updatedPs);
            if (_tokens > Capacity) _tokens = Capacity;
        }
        _updatedPs = Math.Max(_updatedPs, nowPs);
    }
}
