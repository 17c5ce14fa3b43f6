using TsnSim.Core.Frames;
using TsnSim.Core.Links;
using TsnSim.Core.Nodes;
using TsnSim.Core.Time;

namespace TsnSim.Core.Tracing;

/// <summary>
/// One traced frame's stay on one node, from its arrival (or creation) to its departure (or
/// delivery, or drop), with every instant in true time. Hardware timestamps are the node
/// clock's readings at the timestamp point (the first bit after the start-of-frame delimiter).
/// </summary>
public readonly record struct HopSpan
{
    public required HopKind Kind { get; init; }
    public required Node Node { get; init; }
    public required Frame Frame { get; init; }

    /// <summary>Start of the span: the frame's creation on its talker, else its receive timestamp point.</summary>
    public required SimTime Start { get; init; }

    /// <summary>End of the span: the last bit leaving the egress port, the delivery, or the drop.</summary>
    public required SimTime End { get; init; }

    /// <summary>Port the frame arrived by; null on its talker.</summary>
    public Port? Ingress { get; init; }

    /// <summary>When the frame's last bit arrived on <see cref="Ingress"/>.</summary>
    public SimTime ArrivedAt { get; init; }

    /// <summary>When the frame's timestamp point (the first bit after the SFD) reached <see cref="Ingress"/>.</summary>
    public SimTime? ReceiveTimestamp { get; init; }

    /// <summary>The node's clock at <see cref="ReceiveTimestamp"/>.</summary>
    public SimTime? ReceiveClock { get; init; }

    /// <summary>Receive queue the frame was posted on (hosts).</summary>
    public int? RxQueue { get; init; }

    /// <summary>Egress port; null for a delivery or a drop before queueing.</summary>
    public Port? Egress { get; init; }

    public SimTime? EnqueuedAt { get; init; }
    public SimTime? TransmitStart { get; init; }

    /// <summary>When the frame's timestamp point left on <see cref="Egress"/>.</summary>
    public SimTime? TransmitTimestamp { get; init; }

    /// <summary>The node's clock at <see cref="TransmitTimestamp"/>.</summary>
    public SimTime? TransmitClock { get; init; }

    public int? TrafficClass { get; init; }
    public int? TxQueue { get; init; }

    /// <summary>Time the frame waited for its gate to open once it was first in its queue (0 while ports have no gate schedule).</summary>
    public SimTime GateWait { get; init; }

    /// <summary>When the frame's gate opened for it, if a closed gate held it at all.</summary>
    public SimTime? GateOpenedAt { get; init; }

    /// <summary>The node clock minus true time at <see cref="End"/>.</summary>
    public SimTime ClockOffset { get; init; }

    /// <summary>Latency from creation to delivery (deliveries only).</summary>
    public SimTime? Latency { get; init; }

    /// <summary>Why the frame was dropped (drops only).</summary>
    public string? DropReason { get; init; }
}
