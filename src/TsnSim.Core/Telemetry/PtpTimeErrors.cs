using TsnSim.Core.Topology;

namespace TsnSim.Core.Telemetry;

/// <summary>
/// Time errors from the nodes' clock samples: every node reads its clock at the same true
/// instants, so a node's error at an instant is its reading minus the grandmaster's. Computed
/// where the samples of every node meet (the single process, or the coordinator).
/// </summary>
public static class PtpTimeErrors
{
    /// <summary>How long after its first lock a node's figures start: the servo's settling, as the report promises.</summary>
    public static readonly long SettlePs = 2_000_000_000_000;

    /// <summary>Each node's time error series: (true time ps, error ps, locked).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<(long AtPs, long ErrorPs, bool Locked)>> Series(
        TopologyConfig topology, IReadOnlyDictionary<string, IReadOnlyList<ClockSample>> samples)
    {
        var grandmaster = Ptp.GptpRoles.Compute(topology).Values.First().Grandmaster;
        var reference = samples.TryGetValue(grandmaster, out var gm) ? gm.ToDictionary(s => s.AtPs, s => s.ReadingPs) : [];
        var series = new Dictionary<string, IReadOnlyList<(long, long, bool)>>();
        foreach (var node in topology.Nodes)
        {
            if (!samples.TryGetValue(node.Name, out var own)) continue;
            series[node.Name] = own.Where(s => reference.ContainsKey(s.AtPs)).Select(s => (s.AtPs, s.ReadingPs - reference[s.AtPs], s.Locked)).ToList();
        }
        return series;
    }

    public static IReadOnlyList<PtpNodeReport> Report(TopologyConfig topology, IReadOnlyDictionary<string, IReadOnlyList<ClockSample>> samples)
    {
        var plans = Ptp.GptpRoles.Compute(topology);
        var series = Series(topology, samples);
        var reports = new List<PtpNodeReport>();
        foreach (var node in topology.Nodes)
        {
            if (!series.TryGetValue(node.Name, out var errors)) continue;
            bool grandmaster = plans[node.Name].IsGrandmaster;
            string role = grandmaster ? "grandmaster" : node.Kind == NodeKind.Switch ? "bridge" : "slave";
            long? locked = errors.Where(e => e.Locked).Select(e => (long?)e.AtPs).FirstOrDefault();
            var measured = locked is { } from ? errors.Where(e => e.AtPs >= (grandmaster ? 0 : from + SettlePs)).ToList() : [];
            double? max = measured.Count == 0 ? null : measured.Max(e => Math.Abs(e.ErrorPs)) / 1000.0;
            double? rms = measured.Count == 0 ? null : Math.Sqrt(measured.Average(e => (double)e.ErrorPs * e.ErrorPs)) / 1000.0;
            reports.Add(new PtpNodeReport(node.Name, role, max, rms, locked / 1000.0, measured.Count));
        }
        return reports;
    }
}
