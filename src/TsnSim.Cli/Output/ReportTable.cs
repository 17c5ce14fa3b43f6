using TsnSim.Hosting;
using System.Globalization;
using TsnSim.Core.Telemetry;

namespace TsnSim.Cli.Output;

/// <summary>The per-stream table a run prints: counts, then latency in microseconds at nanosecond resolution.</summary>
public static class ReportTable
{
    public static void Write(RunReport report, TextWriter output)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"topology {report.Topology}  seed {report.Seed}  duration {report.DurationNs / 1e6:0.######}ms  mode {report.Mode}  ({report.Events:N0} events, {report.Hops:N0} frame-hops in {report.WallSeconds:0.###} s)"));
        string[] headings = ["stream", "pcp", "sent", "received", "lost", "min us", "mean us", "p50 us", "p99 us", "max us", "jitter us", "deadline misses"];
        var rows = new List<string[]> { headings };
        foreach (var s in report.Streams)
        {
            var l = s.Latency;
            rows.Add([s.Name, Int(s.Pcp), Int(s.Sent), Int(s.Received), Int(s.Lost),
                Us(l?.Min), Us(l?.Mean), Us(l?.P50), Us(l?.P99), Us(l?.Max), Us(s.JitterNs), Int(s.DeadlineMisses)]);
        }
        var widths = headings.Select((_, c) => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
            output.WriteLine(string.Join("  ", row.Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd());
        if (report.Streams.Count == 0) output.WriteLine("(no streams)");
        output.WriteLine($"frames_digest {report.FramesDigest}");
    }

    private static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Us(double? ns) => ns is { } v ? (v / 1000).ToString("0.000", CultureInfo.InvariantCulture) : "-";
}
