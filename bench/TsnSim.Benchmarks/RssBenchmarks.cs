using BenchmarkDotNet.Attributes;
using TsnSim.Core.Nic;

namespace TsnSim.Benchmarks;

/// <summary>RSS's Toeplitz hash of an IPv4 + TCP flow (12 bytes) and of an IPv6 + TCP one (36 bytes), under the verification key.</summary>
[MemoryDiagnoser]
public class RssBenchmarks
{
    private const int Flows = 1024;
    private readonly ToeplitzHash _hash = new(ToeplitzHash.VerificationKey);
    private readonly byte[] _ipv4 = new byte[Flows * 12];
    private readonly byte[] _ipv6 = new byte[Flows * 36];

    [GlobalSetup]
    public void Setup()
    {
        // Distinct flows, so the table lookups see varied bytes as real traffic gives them.
        var random = new Random(1);
        random.NextBytes(_ipv4);
        random.NextBytes(_ipv6);
    }

    [Benchmark(OperationsPerInvoke = Flows, Description = "Toeplitz hash, IPv4 + TCP")]
    public uint Ipv4Tcp()
    {
        uint sum = 0;
        for (int i = 0; i < Flows; i++) sum ^= _hash.Compute(_ipv4.AsSpan(i * 12, 12));
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Flows, Description = "Toeplitz hash, IPv6 + TCP")]
    public uint Ipv6Tcp()
    {
        uint sum = 0;
        for (int i = 0; i < Flows; i++) sum ^= _hash.Compute(_ipv6.AsSpan(i * 36, 36));
        return sum;
    }
}
