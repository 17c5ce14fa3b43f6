using TsnSim.Core.Simulation;
using TsnSim.Core.Time;
using TsnSim.Core.Topology;
var t = ChainTopology.Create(int.Parse(args[0]), long.Parse(args[1]), int.Parse(args[2]), DataRate.FromGigabits(1), SimTime.FromMicroseconds(1), SimTime.Zero);
for (int k = 0; k < 3; k++) {
var r = SingleProcessRun.Execute(t, new RunSettings(1, t.Duration!.Value, SimTime.FromMilliseconds(100)));
Console.WriteLine($"hops={r.Hops} events={r.Events} wall={r.WallSeconds:F3} fhps={r.Hops / r.WallSeconds:F0} digest={r.FramesDigest} recv={r.Streams[0].Received} lat={r.Streams[0].Latency}");
}
