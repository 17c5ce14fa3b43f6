using TsnSim.Core.Telemetry;
using TsnSim.Protos.Report;

namespace TsnSim.Coordinator;

/// <summary>The run report as the Report service sends it: structured figures, and the JSON text beside them.</summary>
public static class ReportSnapshots
{
    public static ReportSnapshot From(RunReport report, long durationPs, long virtualTimePs, bool ended)
    {
        var snapshot = new ReportSnapshot
        {
            Topology = report.Topology,
            Seed = report.Seed,
            Mode = report.Mode,
            DurationPs = durationPs,
            VirtualTimePs = virtualTimePs,
            Complete = report.Complete,
            Ended = ended,
            Error = report.Error ?? "",
            FramesDigest = report.FramesDigest,
            Events = report.Events,
            Hops = report.Hops,
            ReportJson = report.ToJson(),
        };
        foreach (var s in report.Streams)
        {
            var figures = new StreamFigures
            {
                Name = s.Name, Talker = s.Talker, Pcp = s.Pcp, Sent = s.Sent, Received = s.Received, Lost = s.Lost, DeadlineMisses = s.DeadlineMisses,
            };
            figures.Listeners.AddRange(s.Listeners);
            if (s.Latency is { } l)
                figures.Latency = new LatencyFigures
                {
                    MinNs = l.Min, MeanNs = l.Mean, P50Ns = l.P50, P99Ns = l.P99, P999Ns = l.P999, MaxNs = l.Max, JitterNs = s.JitterNs ?? 0,
                };
            snapshot.Streams.Add(figures);
        }
        return snapshot;
    }
}
