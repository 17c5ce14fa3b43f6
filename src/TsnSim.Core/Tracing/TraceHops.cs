using TsnSim.Core.Frames;
using TsnSim.Core.Links;
using TsnSim.Core.Nodes;
using TsnSim.Core.Time;

namespace TsnSim.Core.Tracing;

/// <summary>
/// Where the model notes a traced frame's progress: ports and nodes call these only for frames
/// that carry a <see cref="FrameTrace"/>, so the untraced path stays one null check. Node clocks
/// are ideal unless the topology gives them an oscillator. A port without egress classes has one
/// class and one queue; with them, a span names the frame's class and the first Tx queue of
/// that class (each class is one FIFO until the multi-queue NIC's Tx queues exist).
/// Clock readings are the node's PHC at those instants, exact to the picosecond: what its
/// timestamp unit would latch before granularity, latency and noise (which tracing must not
/// draw, or it would change the run).
/// </summary>
internal static class TraceHops
{
    /// <summary>The frame's first bit after the SFD on the wire: the point every hardware timestamp refers to.</summary>
    public static SimTime TimestampPoint(SimTime transmitStart, DataRate rate) => transmitStart + rate.TimeFor(Ethernet.PreambleAndSfdBytes);

    public static void Enqueued(FrameTrace trace, SimTime now) => trace.EnqueuedAt = now;

    /// <summary>The frame starts on the wire at <paramref name="start"/>: its stay on the port's node ends with its last bit.</summary>
    public static void Transmitting(Port port, Frame frame, FrameTrace trace, SimTime start, DataRate rate)
    {
        var tracer = port.Owner.Context.Tracer;
        if (tracer is null) return;
        int trafficClass = port.Classes?.ClassOf(frame) ?? 0;
        var hop = Common(trace.Ingress is null ? HopKind.Send : HopKind.Forward, port.Owner, frame, trace,
            start + Ethernet.TimeToLastBit(frame.LengthWithFcs, rate)) with
        {
            Egress = port,
            EnqueuedAt = trace.EnqueuedAt,
            TransmitStart = start,
            TransmitTimestamp = TimestampPoint(start, rate),
            TransmitClock = port.Owner.Context.Clock.Read(TimestampPoint(start, rate)),
            TrafficClass = trafficClass,
            TxQueue = Math.Max(0, frame.TxQueue),
            GateWait = frame.GateWait,
        };
        tracer.OnHop(hop, trace);
    }

    /// <summary>The frame's last bit arrived on <paramref name="port"/>: a new hop begins at its timestamp point.</summary>
    public static void Arrived(Port port, FrameTrace trace, SimTime transmitStart, SimTime arrival)
    {
        var link = port.Egress!;
        trace.Ingress = port;
        trace.ReceiveTimestamp = TimestampPoint(transmitStart, link.Rate) + port.IngressDelay;
        trace.HopStart = trace.ReceiveTimestamp;
        trace.ArrivedAt = arrival;
    }

    public static void Delivered(Host host, Frame frame, FrameTrace trace, SimTime at, SimTime latency) =>
        host.Context.Tracer?.OnHop(Common(HopKind.Deliver, host, frame, trace, at) with { RxQueue = 0, Latency = latency }, trace);

    public static void Dropped(Node node, Frame frame, FrameTrace trace, SimTime at, string reason, Port? egress = null) =>
        node.Context.Tracer?.OnHop(Common(HopKind.Drop, node, frame, trace, at) with
        {
            DropReason = reason,
            Egress = egress,
            EnqueuedAt = egress is null ? null : at,
        }, trace);

    private static HopSpan Common(HopKind kind, Node node, Frame frame, FrameTrace trace, SimTime end) => new()
    {
        Kind = kind,
        Node = node,
        Frame = frame,
        Start = trace.HopStart,
        End = end,
        Ingress = trace.Ingress,
        ArrivedAt = trace.ArrivedAt,
        ReceiveTimestamp = trace.Ingress is null ? null : trace.ReceiveTimestamp,
        ReceiveClock = trace.Ingress is null ? null : node.Context.Clock.Read(trace.ReceiveTimestamp),
        RxQueue = trace.Ingress is not null && node is Host ? 0 : null,
        GateWait = SimTime.Zero,
        ClockOffset = node.Context.Clock.Read(end) - end,
    };
}
