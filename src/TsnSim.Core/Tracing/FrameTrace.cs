using TsnSim.Core.Links;
using TsnSim.Core.Time;

namespace TsnSim.Core.Tracing;

/// <summary>
/// What a traced frame carries besides its bytes: the trace context of the span of its last hop
/// (so the next hop's span becomes its child, in this process or another) and what the current
/// hop has seen so far. Untraced frames carry none, so the frame path pays one null check.
/// </summary>
public sealed class FrameTrace(string streamName, SimTime createdAt)
{
    /// <summary>W3C traceparent of the previous hop's span; null until the first hop has been recorded.</summary>
    public string? ParentId { get; set; }

    /// <summary>W3C tracestate travelling with <see cref="ParentId"/>.</summary>
    public string? TraceState { get; set; }

    /// <summary>The stream's name as the talker knows it (live streams are named only on their talker's host).</summary>
    public string StreamName { get; } = streamName;

    /// <summary>When the current hop began: the frame's creation on its talker, else its receive timestamp point.</summary>
    public SimTime HopStart { get; set; } = createdAt;

    /// <summary>Port the frame came in by on the current node; null on its talker.</summary>
    public Port? Ingress { get; set; }

    /// <summary>When the start of the frame (the first bit after the SFD) reached <see cref="Ingress"/>.</summary>
    public SimTime ReceiveTimestamp { get; set; }

    /// <summary>When the frame's last bit reached <see cref="Ingress"/>.</summary>
    public SimTime ArrivedAt { get; set; }

    /// <summary>When the frame entered its egress queue on the current node.</summary>
    public SimTime EnqueuedAt { get; set; }

    /// <summary>A copy for a frame replicated to another port: the same parent, the same hop so far.</summary>
    public FrameTrace Fork() => (FrameTrace)MemberwiseClone();

    /// <summary>The hop has been recorded as the span <paramref name="spanId"/>: the next hop descends from it.</summary>
    public void Continue(string spanId, string? traceState)
    {
        ParentId = spanId;
        TraceState = traceState;
        Ingress = null;
    }
}
