using System.Globalization;
using TsnSim.Core.Telemetry;
using TsnSim.Core.Topology;

namespace TsnSim.Hosting;

/// <summary><c>--ptp-csv PATH</c>: every node's time error against the grandmaster at every sample, one line each.</summary>
public static class PtpCsvWriter
{
    public static void Write(string path, TopologyConfig topology, IReadOnlyDictionary<string, IReadOnlyList<ClockSample>> samples)
    {
        if (topology.Ptp is null) throw new UserInputException($"--ptp-csv: topology {topology.Name} runs no PTP (add a ptp: section)");
        try
        {
            using var writer = new StreamWriter(path);
            writer.WriteLine("true_time_ns,node,time_error_ns,locked,grandmaster");
            foreach (var (node, series) in PtpTimeErrors.Series(topology, samples))
                foreach (var (at, error, locked, grandmaster) in series)
                    writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{at / 1000},{node},{error / 1000.0:0.###},{(locked ? 1 : 0)},{grandmaster}"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"--ptp-csv: cannot write '{path}': {e.Message}");
        }
    }
}
