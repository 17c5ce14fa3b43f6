using TsnSim.Hosting;
using System.CommandLine;
using System.Globalization;
using TsnSim.Core.Simulation;
using TsnSim.Core.Time;
using TsnSim.Core.Topology;

namespace TsnSim.Cli.Commands;

/// <summary>
/// <c>tsnsim bench line</c>: the reference chain workload (the same as the ns-3 reference). The
/// first, cold run is printed but not counted: it pays for the JIT's tiering, which a long
/// simulation pays once. The figure is the median of the measured runs after it.
/// </summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var nodes = new Option<int>("--nodes") { Description = "Nodes in the chain (hosts at both ends)", DefaultValueFactory = _ => 8 };
        var frames = new Option<int>("--frames") { Description = "Frames the first node sends", DefaultValueFactory = _ => 200_000 };
        var size = new Option<int>("--size") { Description = "Frame size in bytes, FCS included (64..9216)", DefaultValueFactory = _ => 1500 };
        var rate = new Option<string>("--rate") { Description = "Link rate", DefaultValueFactory = _ => "1Gbps" };
        var delay = new Option<string>("--delay") { Description = "Link propagation delay", DefaultValueFactory = _ => "1us" };
        var repeat = new Option<int>("--repeat") { Description = "Measured runs; the median is printed", DefaultValueFactory = _ => 3 };
        var line = new Command("line", "Chain of N nodes on 1 Gb/s links; the first sends M frames at line rate, the last counts them")
        {
            nodes, frames, size, rate, delay, repeat,
        };
        line.SetAction(parse =>
        {
            int n = parse.GetValue(nodes), m = parse.GetValue(frames), s = parse.GetValue(size), runs = parse.GetValue(repeat);
            if (n < 2) throw new UserInputException($"--nodes: {n} is too few; a chain needs at least 2 nodes");
            OptionValues.Positive(m, "--frames");
            OptionValues.Positive(runs, "--repeat");
            if (s is < 64 or > 9216) throw new UserInputException($"--size: {s} is out of range; expected a frame size from 64 to 9216 bytes");
            var linkRate = OptionValues.Rate(parse.GetValue(rate)!, "--rate");
            var linkDelay = OptionValues.Duration(parse.GetValue(delay), "--delay")!.Value;

            var chain = ChainTopology.Create(n, m, s, linkRate, linkDelay, SimTime.Zero);
            var (coldHops, coldSeconds) = Measure(chain);
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"cold run (not counted): {coldHops} frame-hops in {coldSeconds:0.000} s, {coldHops / coldSeconds:0} frame-hops/s"));
            var rates = new List<double>();
            for (int i = 0; i < runs; i++)
            {
                var (hops, seconds) = Measure(chain);
                rates.Add(hops / seconds);
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {i + 1}: {hops} frame-hops in {seconds:0.000} s"));
            }
            rates.Sort();
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"nodes={n} frames={m} size={s} median of {runs} frame_hops_per_s={rates[rates.Count / 2]:0}"));
            return ExitCodes.Success;
        });
        return new Command("bench", "Reference workloads for speed") { line };
    }

    private static (long Hops, double Seconds) Measure(TopologyConfig chain)
    {
        var report = SingleProcessRun.Execute(chain, new RunSettings(chain.Seed, chain.Duration!.Value, chain.Drain));
        var stream = report.Streams[0];
        // A fast run that lost frames would be a wrong run: refuse to print a speed for it.
        if (stream.Lost != 0)
            throw new InvalidOperationException($"the chain lost {stream.Lost} of {stream.Sent} frames; the benchmark is invalid");
        return (report.Hops, report.WallSeconds);
    }
}
