using System.Security.Cryptography;
using System.Text;

namespace TsnSim.Core.Engine;

/// <summary>
/// xoshiro256** seeded from (run seed, node name) through SHA-256. Our own generator rather than
/// System.Random, whose algorithm may change between runtimes: a seed must mean the same run forever.
/// </summary>
public sealed class DeterministicRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public DeterministicRandom(ulong seed, string stream)
    {
        var material = Encoding.UTF8.GetBytes($"{seed}/{stream}");
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(material, hash);
        _s0 = BitConverter.ToUInt64(hash[..8]);
        _s1 = BitConverter.ToUInt64(hash[8..16]);
        _s2 = BitConverter.ToUInt64(hash[16..24]);
        _s3 = BitConverter.ToUInt64(hash[24..32]);
        if ((_s0 | _s1 | _s2 | _s3) == 0) _s0 = 1;
    }

    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1), from the top 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, bound), without modulo bias (Lemire's method).</summary>
    public long NextInt64(long bound)
    {
        if (bound <= 0) throw new ArgumentOutOfRangeException(nameof(bound), "the bound must be positive");
        ulong range = (ulong)bound;
        while (true)
        {
            ulong hi = Math.BigMul(NextUInt64(), range, out ulong lo);
            if (lo >= range || lo >= (0UL - range) % range) return (long)hi;
        }
    }
}
