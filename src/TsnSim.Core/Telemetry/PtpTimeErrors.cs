using TsnSim.Core.Ptp.Messages;
using TsnSim.Core.Topology;

namespace TsnSim.Core.Telemetry;

/// <summary>
/// Time errors from the nodes' clock samples: every node reads its clock at the same true
/// instants, so a node's error at an instant is its reading minus that of the grandmaster it
/// followed then (after a failover, the new one). Computed where the samples of every node
/// meet (the single process, or the coordinator).
/// </summary>
public static class PtpTimeErrors
{
    /// <summary>How long after its first lock a node's figures start: the servo's settling, as the report promises.</summary>
    public static readonly long SettlePs = 2_000_000_000_000;

    /// <summary>Each node's time error series: (true time ps, error ps, locked, the grandmaster followed).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<(long AtPs, long ErrorPs, bool Locked, string Grandmaster)>> Series(
        TopologyConfig topology, IReadOnlyDictionary<string, IReadOnlyList<ClockSample>> samples)
    {
        var byIdentity = topology.Nodes.ToDictionary(n => PortIdentity.ClockIdentityOf(n.Mac), n => n.Name);
        var readings = samples.ToDictionary(kv => kv.Key, kv => kv.Value.ToDictionary(s => s.AtPs, s => s.ReadingPs));
        var series = new Dictionary<string, IReadOnlyList<(long, long, bool, string)>>();
        foreach (var node in topology.Nodes)
        {
            if (!samples.TryGetValue(node.Name, out var own)) continue;
            var errors = new List<(long, long, bool, string)>();
            foreach (var s in own)
                if (byIdentity.TryGetValue(s.Grandmaster, out var gm) && readings.TryGetValue(gm, out var reference) && reference.TryGetValue(s.AtPs, out var gmReading))
                    errors.Add((s.AtPs, s.ReadingPs - gmReading, s.Locked, gm));
            series[node.Name] = errors;
        }
        return series;
    }

    public static IReadOnlyList<PtpNodeReport> Report(TopologyConfig topology, IReadOnlyDictionary<string, IReadOnlyList<ClockSample>> samples)
    {
        var series = Series(topology, samples);
        var reports = new List<PtpNodeReport>();
        foreach (var node in topology.Nodes)
        {
            if (!series.TryGetValue(node.Name, out var errorList) || samples[node.Name].Count == 0) continue;
            var errors = errorList.ToList();
            // The role the node ended the run in.
            bool grandmaster = samples[node.Name][^1].Grandmaster == PortIdentity.ClockIdentityOf(node.Mac);
            string role = grandmaster ? "grandmaster" : node.Kind == NodeKind.Switch ? "bridge" : "slave";
            // Locked to the grandmaster it ended the run with: every node starts as its own grandmaster and may
            // follow a neighbour until the best announce has reached it, and after a failover it follows the new one.
            string final = errors.Count > 0 ? errors[^1].Grandmaster : node.Name;
            int settled = errors.FindLastIndex(e => e.Grandmaster != final) + 1;
            long? locked = grandmaster ? 0 : errors.Skip(settled).Where(e => e.Locked).Select(e => (long?)e.AtPs).FirstOrDefault();
            var measured = locked is { } from ? errors.Where(e => e.AtPs >= (grandmaster ? 0 : from + SettlePs)).ToList() : [];
            double? max = measured.Count == 0 ? null : measured.Max(e => Math.Abs(e.ErrorPs)) / 1000.0;
            double? rms = measured.Count == 0 ? null : Math.Sqrt(measured.Average(e => (double)e.ErrorPs * e.ErrorPs)) / 1000.0;
            reports.Add(new PtpNodeReport(node.Name, role, max, rms, locked / 1000.0, measured.Count));
        }
        return reports;
    }
}
