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
            if (!series.TryGetValue(node.Name, out var errors) || samples[node.Name].Count == 0) continue;
            var own = samples[node.Name];
            // The role the node ended the run in; a node whose PTP stack was stopped is neither.
            bool stopped = node.Ptp.StopAt is { } stop && stop.Picoseconds <= own[^1].AtPs;
            bool grandmaster = !stopped && own[^1].Grandmaster == PortIdentity.ClockIdentityOf(node.Mac);
            string role = stopped ? "stopped" : grandmaster ? "grandmaster" : node.Kind == NodeKind.Switch ? "bridge" : "slave";
            // Under the grandmaster it ended the run with, from its own samples: every node starts as its own
            // grandmaster and may follow a neighbour until the best announce reaches it; after a failover it
            // follows the new one (a grandmaster that took over is measured from then).
            ulong final = own[^1].Grandmaster;
            int last = -1;
            for (int i = own.Count - 1; i >= 0 && last < 0; i--) if (own[i].Grandmaster != final) last = i;
            long settledPs = last < 0 ? 0 : own[last + 1 < own.Count ? last + 1 : last].AtPs;
            long? locked = stopped ? null : grandmaster ? settledPs : errors.Where(e => e.AtPs >= settledPs && e.Locked).Select(e => (long?)e.AtPs).FirstOrDefault();
            var measured = locked is { } from ? errors.Where(e => e.AtPs >= (grandmaster ? from : from + SettlePs)).ToList() : [];
            double? max = measured.Count == 0 ? null : measured.Max(e => Math.Abs(e.ErrorPs)) / 1000.0;
            double? rms = measured.Count == 0 ? null : Math.Sqrt(measured.Average(e => (double)e.ErrorPs * e.ErrorPs)) / 1000.0;
            reports.Add(new PtpNodeReport(node.Name, role, max, rms, locked / 1000.0, measured.Count));
        }
        return reports;
    }
}
