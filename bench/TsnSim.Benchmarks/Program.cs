namespace TsnSim.Benchmarks; class P{static void Main(){}}
