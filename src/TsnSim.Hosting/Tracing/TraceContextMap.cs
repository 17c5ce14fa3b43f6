using TsnSim.Core.Time;
using TsnSim.Core.Tracing;

namespace TsnSim.Hosting.Tracing;

/// <summary>
/// A traced frame's trace context in <c>LinkFrame.trace_context</c>: the W3C <c>traceparent</c>
/// and <c>tracestate</c> of its last hop's span, and the stream's name as its talker knows it.
/// </summary>
public static class TraceContextMap
{
    public const string TraceParent = "traceparent";
    public const string TraceState = "tracestate";
    public const string StreamName = "tsnsim-stream";

    public static void Write(FrameTrace trace, IDictionary<string, string> map)
    {
        if (trace.ParentId is { } parent) map[TraceParent] = parent;
        if (!string.IsNullOrEmpty(trace.TraceState)) map[TraceState] = trace.TraceState;
        map[StreamName] = trace.StreamName;
    }

    /// <summary>The frame's trace, or null when the map carries none (an untraced frame).</summary>
    public static FrameTrace? Read(IReadOnlyDictionary<string, string> map, SimTime createdAt)
    {
        if (map.Count == 0) return null;
        return new FrameTrace(map.GetValueOrDefault(StreamName) ?? "", createdAt)
        {
            ParentId = map.GetValueOrDefault(TraceParent),
            TraceState = map.GetValueOrDefault(TraceState),
        };
    }
}
