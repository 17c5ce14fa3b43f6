using System.Globalization;
using TsnSim.Core.Telemetry;
using TsnSim.Core.Topology;

namespace TsnSim.Hosting;

/// <summary>
/// <c>--ptp-csv PATH</c>: every node at every sample, one line each: its time error against the
/// grandmaster it followed, its servo's state, and its slave port's measured and true link delay.
/// </summary>
public static class PtpCsvWriter
{
    public static void Write(string path, TopologyConfig topology, IReadOnlyDictionary<string, IReadOnlyList<ClockSample>> samples)
    {
        if (topology.Ptp is null) throw new UserInputException($"--ptp-csv: topology {topology.Name} runs no PTP (add a ptp: section)");
        try
        {
            using var writer = new StreamWriter(path);
            writer.WriteLine("true_time_ns,node,time_error_ns,servo,grandmaster,link_delay_ns,true_link_delay_ns");
            var series = PtpTimeErrors.Series(topology, samples);
            foreach (var node in topology.Nodes)
            {
                if (!samples.TryGetValue(node.Name, out var own) || !series.TryGetValue(node.Name, out var errors)) continue;
                var byTime = own.ToDictionary(s => s.AtPs);
                foreach (var (at, error, _, grandmaster) in errors)
                {
                    var sample = byTime[at];
                    string delay = sample.EstimatedDelayPs < 0 ? "" : (sample.EstimatedDelayPs / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);
                    string truth = sample.TrueDelayPs < 0 ? "" : (sample.TrueDelayPs / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);
                    writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{at / 1000},{node.Name},{error / 1000.0:0.###},{sample.State.ToString().ToLowerInvariant()},{grandmaster},{delay},{truth}"));
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"--ptp-csv: cannot write '{path}': {e.Message}");
        }
    }
}
