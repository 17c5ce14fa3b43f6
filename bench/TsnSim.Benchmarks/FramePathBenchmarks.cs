using BenchmarkDotNet.Attributes;
using TsnSim.Core.Simulation;
using TsnSim.Core.Time;
using TsnSim.Core.Topology;

namespace TsnSim.Benchmarks;

/// <summary>The frame path end to end: the reference chain, per frame-hop (the figure <c>tsnsim bench line</c> prints).</summary>
[MemoryDiagnoser]
public class FramePathBenchmarks
{
    private const int Frames = 20_000;
    private TopologyConfig _chain = null!;

    [Params(64, 1500)]
    public int Size;

    [GlobalSetup]
    public void Setup() => _chain = ReferenceTopologies.Load(ReferenceTopologies.Chain(8, Frames, Size, DataRate.FromGigabits(1), SimTime.FromMicroseconds(1)), "chain");

    [Benchmark(OperationsPerInvoke = Frames * 7, Description = "one frame-hop through an 8-node chain")]
    public long FrameHop() =>
        SingleProcessRun.Execute(_chain, new RunSettings(1, _chain.Duration!.Value, _chain.Drain)).Hops;
}
