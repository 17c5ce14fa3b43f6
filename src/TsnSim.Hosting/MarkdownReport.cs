using System.Globalization;
using System.Text;
using TsnSim.Core.Telemetry;

namespace TsnSim.Hosting;

/// <summary>
/// The run report as Markdown, for people and pull requests: run metadata, a table of streams,
/// a table of ports, one of traffic classes where ports have them and, for PTP runs, a table of time errors. Numbers are written exactly as the JSON report writes them (shortest
/// round-trip form, nanoseconds), so the two never disagree.
/// </summary>
public static class MarkdownReport
{
    public static string Render(RunReport report)
    {
        var text = new StringBuilder();
        text.Append("# TsnSim run report: ").AppendLine(Escape(report.Topology)).AppendLine();
        Table(text, ["run", "value"],
        [
            ["topology", Escape(report.Topology)],
            ["seed", Number(report.Seed)],
            ["duration_ns", Number(report.DurationNs)],
            ["mode", report.Mode],
            ["complete", report.Complete ? "true" : "false"],
            .. report.Error is { } error ? new[] { new[] { "error", Escape(error) } } : [],
            ["hops", Number(report.Hops)],
            ["events", Number(report.Events)],
            ["frames_digest", $"`{report.FramesDigest}`"],
            ["wall_seconds", Number(report.WallSeconds)],
        ]);
        text.AppendLine().AppendLine("## Streams").AppendLine().AppendLine("Latencies in nanoseconds; percentiles nearest-rank from the latency histogram (docs/report-format.md gives the bound).").AppendLine();
        if (report.Streams.Count == 0) text.AppendLine("(no streams)");
        else
            Table(text, ["stream", "talker", "listeners", "pcp", "sent", "received", "lost", "min", "mean", "p50", "p99", "p99.9", "max", "jitter", "deadline misses"],
                report.Streams.Select(s => new[]
                {
                    Escape(s.Name), Escape(s.Talker), Escape(string.Join(", ", s.Listeners)), Number(s.Pcp),
                    Number(s.Sent), Number(s.Received), Number(s.Lost),
                    Number(s.Latency?.Min), Number(s.Latency?.Mean), Number(s.Latency?.P50), Number(s.Latency?.P99),
                    Number(s.Latency?.P999), Number(s.Latency?.Max), Number(s.JitterNs), Number(s.DeadlineMisses),
                }).ToList());
        text.AppendLine().AppendLine("## Ports").AppendLine();
        if (report.Ports.Count == 0) text.AppendLine("(no ports reported yet)");
        else
            Table(text, ["node", "port", "tx frames", "tx bytes", "rx frames", "rx bytes", "queue drops", "ingress drops", "max queue depth"],
                report.Ports.Select(p => new[]
                {
                    Escape(p.Node), Escape(p.Port), Number(p.TxFrames), Number(p.TxBytes), Number(p.RxFrames), Number(p.RxBytes),
                    Number(p.QueueDrops), Number(p.IngressDrops), Number(p.MaxQueueDepth),
                }).ToList());
        var classed = report.Ports.Where(p => p.Classes is not null).ToList();
        if (classed.Count > 0)
        {
            text.AppendLine().AppendLine("## Traffic classes").AppendLine().AppendLine("Gate waits in nanoseconds of the node's clock: how long each frame's gate was closed while it waited at the head of its class (docs/tsn.md).").AppendLine();
            Table(text, ["node", "port", "class", "tx frames", "queue drops", "launch time drops", "gate wait total", "gate wait max"],
                classed.SelectMany(p => p.Classes!.Select(c => new[]
                {
                    Escape(p.Node), Escape(p.Port), Number(c.TrafficClass), Number(c.TxFrames), Number(c.QueueDrops), Number(c.LaunchTimeDrops),
                    Number(c.GateWaitTotalNs), Number(c.GateWaitMaxNs),
                })).ToList());
        }
        var nics = report.Ports.Where(p => p.Nic is not null).ToList();
        if (nics.Count > 0)
        {
            text.AppendLine().AppendLine("## NIC Rx queues").AppendLine().AppendLine("Each queue's packets, distinct flows, drops, and the time its packets waited for their core, in nanoseconds (docs/nic.md).").AppendLine();
            Table(text, ["node", "port", "queue", "core", "frames", "bytes", "flows", "steered", "ring drops", "buffer drops", "max occupancy", "core wait mean", "core wait max"],
                nics.SelectMany(p => p.Nic!.RxQueues.Select(q => new[]
                {
                    Escape(p.Node), Escape(p.Port), Number(q.Queue), Number(q.Core), Number(q.Frames), Number(q.Bytes), Number(q.Flows), Number(q.Steered),
                    Number(q.RingDrops), Number(q.BufferDrops), Number(q.MaxOccupancy), Number(q.CoreWaitMeanNs), Number(q.CoreWaitMaxNs),
                })).ToList());
            var transmitting = nics.Where(p => p.Nic!.TxQueues.Any(q => q.Frames > 0 || q.BacklogDrops > 0 || q.BufferDrops > 0)).ToList();
            if (transmitting.Count > 0)
            {
                text.AppendLine().AppendLine("## NIC Tx queues").AppendLine().AppendLine("Each queue's packets submitted and sent, the most descriptors in use, packets the host stack held for a descriptor or buffers (backpressure) and dropped, and completions with their wait for the core, in nanoseconds (docs/nic.md).").AppendLine();
                Table(text, ["node", "port", "queue", "core", "frames", "sent", "max occupancy", "waited", "backlog wait mean", "backlog wait max", "backlog drops", "buffer drops", "completions", "discarded", "completion wait mean", "completion wait max"],
                    transmitting.SelectMany(p => p.Nic!.TxQueues.Select(q => new[]
                    {
                        Escape(p.Node), Escape(p.Port), Number(q.Queue), Number(q.Core), Number(q.Frames), Number(q.Sent), Number(q.MaxOccupancy), Number(q.Waited),
                        Number(q.BacklogWaitMeanNs), Number(q.BacklogWaitMaxNs), Number(q.BacklogDrops), Number(q.BufferDrops), Number(q.Completions), Number(q.Discarded),
                        Number(q.CompletionWaitMeanNs), Number(q.CompletionWaitMaxNs),
                    })).ToList());
            }
            var coalescing = nics.SelectMany(p => p.Nic!.RxQueues.Where(q => q.Rsc is not null).Select(q => (Port: p, Queue: q))).ToList();
            if (coalescing.Count > 0)
            {
                text.AppendLine().AppendLine("## Receive segment coalescing").AppendLine().AppendLine("Coalesced units of two segments or more, the data segments in them (ratio: segments per unit), duplicate ACKs absorbed, and segments passed on alone.").AppendLine();
                Table(text, ["node", "port", "queue", "units", "segments", "ratio", "duplicate acks", "alone"],
                    coalescing.Select(c => new[]
                    {
                        Escape(c.Port.Node), Escape(c.Port.Port), Number(c.Queue.Queue), Number(c.Queue.Rsc!.Units), Number(c.Queue.Rsc.Segments),
                        c.Queue.Rsc.Units == 0 ? "-" : Number(Math.Round((double)c.Queue.Rsc.Segments / c.Queue.Rsc.Units, 3)), Number(c.Queue.Rsc.DuplicateAcks),
                        Number(c.Queue.Rsc.Alone.Values.Sum()),
                    }).ToList());
            }
            text.AppendLine().AppendLine("## Host cores").AppendLine();
            Table(text, ["node", "port", "core", "packets", "busy ns", "utilization"],
                nics.SelectMany(p => p.Nic!.Cores.Select(c => new[] { Escape(p.Node), Escape(p.Port), Number(c.Core), Number(c.Packets), Number(c.BusyNs), Number(c.Utilization) })).ToList());
        }
        if (report.Ptp is { } ptp)
        {
            text.AppendLine().AppendLine("## PTP").AppendLine().AppendLine("Time error against the grandmaster in nanoseconds, from 2 s after each node's servo first locked (docs/ptp.md).").AppendLine();
            Table(text, ["node", "role", "max abs offset", "rms offset", "converged at", "samples"],
                ptp.Select(p => new[] { Escape(p.Node), p.Role, Number(p.MaxAbsOffsetNs), Number(p.RmsOffsetNs), Number(p.ConvergedAtNs), Number(p.Samples) }).ToList());
        }
        if (report.Sync is { } sync)
        {
            text.AppendLine().AppendLine("## Synchronisation").AppendLine();
            Table(text, ["messages", "remote frames", "promises", "horizons", "waits"],
                [[Number(sync.Messages), Number(sync.RemoteFrames), Number(sync.Promises), Number(sync.Horizons), Number(sync.Waits)]]);
        }
        return text.ToString();
    }

    private static void Table(StringBuilder text, string[] headings, IReadOnlyList<string[]> rows)
    {
        text.Append("| ").AppendJoin(" | ", headings).AppendLine(" |");
        // Text columns to the left, numbers to the right, as in the printed table.
        text.Append('|').AppendJoin('|', headings.Select((_, c) => rows.All(r => IsNumeric(r[c])) ? "---:" : "---")).AppendLine("|");
        foreach (var row in rows) text.Append("| ").AppendJoin(" | ", row).AppendLine(" |");
    }

    private static bool IsNumeric(string cell) => cell == "-" || double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    /// <summary>The shortest text that reads back as the same double: what System.Text.Json writes.</summary>
    private static string Number(double? value) => value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "-";

    private static string Number(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Escape(string cell) => cell.Replace("\\", "\\\\").Replace("|", "\\|").Replace("\n", " ");
}
