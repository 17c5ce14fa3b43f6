using System.Globalization;
using System.Text;

namespace TsnSim.Hosting.Tracing;

/// <summary>
/// One traced frame's journey, from the spans of a trace directory: each node it crossed (its
/// spans in parent-to-child order, copies of a flooded frame as branches), and each instant on
/// that node with its timestamps and waits. What <c>tsnsim trace</c> prints.
/// </summary>
public sealed class FrameTimeline
{
    private FrameTimeline(IReadOnlyList<(RecordedSpan Span, int Depth)> hops) => Hops = hops;

    /// <summary>The frame's spans, each with its depth in the trace (0 for the talker's).</summary>
    public IReadOnlyList<(RecordedSpan Span, int Depth)> Hops { get; }

    /// <summary>The trace of frame <paramref name="frameId"/>; a clear error when no span has it.</summary>
    public static FrameTimeline ForFrame(IReadOnlyList<RecordedSpan> spans, long frameId) =>
        Build(spans, spans.FirstOrDefault(s => s.Number(TraceAttributes.FrameId) == frameId)
            ?? throw new UserInputException($"no traced frame with id {frameId}; {Summary(spans)}"));

    /// <summary>The trace of frame <paramref name="sequence"/> of stream <paramref name="stream"/>.</summary>
    public static FrameTimeline ForStream(IReadOnlyList<RecordedSpan> spans, string stream, long sequence)
    {
        var ofStream = spans.Where(s => s[TraceAttributes.Stream] == stream).ToList();
        if (ofStream.Count == 0) throw new UserInputException($"no traced frame of stream '{stream}'; {Summary(spans)}");
        var span = ofStream.FirstOrDefault(s => s.Number(TraceAttributes.Sequence) == sequence);
        if (span is null)
        {
            var traced = ofStream.Select(s => s.Number(TraceAttributes.Sequence) ?? -1).Distinct().Order().ToList();
            throw new UserInputException($"frame {sequence} of stream '{stream}' was not traced; its traced sequences are {Ranges(traced)}");
        }
        return Build(spans, span);
    }

    private static FrameTimeline Build(IReadOnlyList<RecordedSpan> spans, RecordedSpan any)
    {
        // A directory written twice (an earlier run's files left beside this one's) holds the same frame more than once.
        var runs = spans.Where(s => s[TraceAttributes.FrameId] == any[TraceAttributes.FrameId] && s[TraceAttributes.Stream] == any[TraceAttributes.Stream])
            .GroupBy(s => s.RunId ?? "?").ToList();
        if (runs.Count > 1)
            throw new UserInputException(
                $"frame {any[TraceAttributes.FrameId]} was traced by {runs.Count} runs ({string.Join("; ", runs.Select(r => $"run {r.Key[..Math.Min(8, r.Key.Length)]} in {string.Join(", ", r.Select(s => s.File).Distinct())}"))}); expected the files of one run: give one file, or a directory holding one run's");
        var trace = spans.Where(s => s.TraceId == any.TraceId).ToList();
        var ids = trace.Select(s => s.SpanId).ToHashSet();
        var children = trace.ToLookup(s => s.ParentSpanId is { } p && ids.Contains(p) ? p : "");
        var hops = new List<(RecordedSpan, int)>();
        void Walk(string parent, int depth)
        {
            foreach (var span in children[parent].OrderBy(s => s.Number(TraceAttributes.StartNs)).ThenBy(s => s[TraceAttributes.EgressPort], StringComparer.Ordinal))
            {
                hops.Add((span, depth));
                Walk(span.SpanId, depth + 1);
            }
        }
        Walk("", 0);
        return new FrameTimeline(hops);
    }

    /// <summary>The timeline as text: a heading, then a line per instant.</summary>
    public string Format()
    {
        var first = Hops[0].Span;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"frame {first[TraceAttributes.FrameId]}  stream {first[TraceAttributes.Stream]}  sequence {first[TraceAttributes.Sequence]}  pcp {first[TraceAttributes.Pcp] ?? "-"}  {first[TraceAttributes.FrameBytes]} bytes  trace {first.TraceId}\n");
        text.Append(CultureInfo.InvariantCulture, $"{"node",-12} {"true time ns",14}  {"event",-20} detail\n");
        foreach (var (span, depth) in Hops)
        {
            var node = new string(' ', 2 * depth) + span[TraceAttributes.Node];
            bool firstLine = true;
            foreach (var e in span.Events)
            {
                var line = string.Create(CultureInfo.InvariantCulture, $"{(firstLine ? node : ""),-12} {TimeOf(span, e),14}  {e.Name,-20} {Detail(span, e)}");
                text.Append(line.TrimEnd()).Append('\n');
                firstLine = false;
            }
            if (firstLine) text.Append(CultureInfo.InvariantCulture, $"{node,-12} {span.Number(TraceAttributes.StartNs),14}  {span.Name,-20}\n");
        }
        var last = Hops.Select(h => h.Span).Where(s => s[TraceAttributes.LatencyNs] is not null).ToList();
        foreach (var delivered in last)
            text.Append(CultureInfo.InvariantCulture, $"latency to {delivered[TraceAttributes.Node]}: {delivered[TraceAttributes.LatencyNs]} ns\n");
        return text.ToString();
    }

    /// <summary>The event's exact time, from the span attribute that holds it.</summary>
    public static long? TimeOf(RecordedSpan span, RecordedSpanEvent e) => TraceAttributes.TimeOf(e.Name) is { } attribute ? span.Number(attribute) : null;

    private static string Detail(RecordedSpan span, RecordedSpanEvent e) => e.Name switch
    {
        TraceAttributes.ReceiveTimestampEvent => $"port {span[TraceAttributes.IngressPort]}  hw rx {span[TraceAttributes.HardwareRxTimestamp]} ns  clock offset {span[TraceAttributes.ClockOffsetNs]} ns",
        TraceAttributes.ReceivedEvent => "last bit in",
        TraceAttributes.RxQueueEvent => $"rx queue {span[TraceAttributes.RxQueue]}",
        TraceAttributes.EnqueueEvent => $"port {span[TraceAttributes.EgressPort]}  tx queue {span[TraceAttributes.TxQueue]}  traffic class {span[TraceAttributes.TrafficClass]}",
        TraceAttributes.GateOpenEvent => $"traffic class {span[TraceAttributes.TrafficClass]}",
        TraceAttributes.TransmissionStartEvent => $"queue wait {span[TraceAttributes.QueueWaitNs]} ns  gate wait {span[TraceAttributes.GateWaitNs]} ns",
        TraceAttributes.TransmitTimestampEvent => $"hw tx {span[TraceAttributes.HardwareTxTimestamp]} ns",
        TraceAttributes.DeliveryEvent => $"latency {span[TraceAttributes.LatencyNs]} ns",
        TraceAttributes.DropEvent => span[TraceAttributes.DropReason] ?? "",
        _ => "",
    };

    private static string Summary(IReadOnlyList<RecordedSpan> spans)
    {
        var streams = spans.GroupBy(s => s[TraceAttributes.Stream] ?? "?").Select(g => $"{g.Key} ({g.Select(s => s.TraceId).Distinct().Count()} frames)");
        return $"the files hold {spans.Select(s => s.TraceId).Distinct().Count()} traced frames: {string.Join(", ", streams)}";
    }

    /// <summary>0-9, 20, 30-31: a sorted list of numbers, compactly.</summary>
    private static string Ranges(IReadOnlyList<long> values)
    {
        var parts = new List<string>();
        for (int i = 0; i < values.Count;)
        {
            int j = i;
            while (j + 1 < values.Count && values[j + 1] == values[j] + 1) j++;
            parts.Add(i == j ? $"{values[i]}" : $"{values[i]}-{values[j]}");
            i = j + 1;
        }
        return parts.Count > 12 ? string.Join(", ", parts.Take(12)) + ", …" : string.Join(", ", parts);
    }
}
