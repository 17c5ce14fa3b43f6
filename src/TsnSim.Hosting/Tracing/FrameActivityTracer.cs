using System.Diagnostics;
using TsnSim.Core.Frames;
using TsnSim.Core.Nodes;
using TsnSim.Core.Time;
using TsnSim.Core.Topology;
using TsnSim.Core.Tracing;
using TsnSim.Core.Traffic;

namespace TsnSim.Hosting.Tracing;

/// <summary>
/// Turns traced frames' hops into OpenTelemetry spans on the <see cref="SourceName"/> activity
/// source: one span per node a frame crosses, the child of the previous node's span, so each
/// traced frame is one trace however many processes it crosses. Span times are the epoch plus
/// virtual time; exact virtual nanoseconds ride in attributes (<see cref="TraceAttributes"/>),
/// because an Activity holds times to 100 ns only.
/// </summary>
public sealed class FrameActivityTracer(TopologyConfig topology, FrameTraceSelection selection, DateTime epochUtc, SimulationMetrics? metrics = null) : IFrameTracer
{
    public const string SourceName = "TsnSim.Frames";
    public static readonly ActivitySource Source = new(SourceName, typeof(FrameActivityTracer).Assembly.GetName().Version?.ToString());

    private const long PicosecondsPerTick = 100_000;

    // Names made once: a traced hop should not build strings it could look up.
    private readonly string[] _portNames = topology.PortNames();
    private readonly string[] _spanNames = topology.Nodes.SelectMany(n => Enum.GetValues<HopKind>().Select(k => $"{KindName(k)} {n.Name}")).ToArray();
    private static readonly int HopKinds = Enum.GetValues<HopKind>().Length;

    /// <summary>Virtual time zero on the wall clock, the origin of every span time.</summary>
    public DateTime EpochUtc { get; } = DateTime.SpecifyKind(epochUtc, DateTimeKind.Utc);

    public FrameTrace? Begin(Host talker, Frame frame)
    {
        int stream = frame.StreamIndex;
        string? name = (uint)stream < (uint)topology.Streams.Count ? topology.Streams[stream].Name : null;
        string? liveName = null;
        if (name is null && talker.Live.StreamAt(stream) is { } live)
            name = liveName = $"{talker.Name}/{live.Name}";
        if (name is null || !selection.Traces(stream, frame.Sequence, liveName) || !Source.HasListeners()) return null;
        return new FrameTrace(name, frame.CreatedAt);
    }

    public void OnHop(in HopSpan hop, FrameTrace trace)
    {
        metrics?.OnHop(hop);
        // A root span must not adopt whatever activity the calling thread happens to carry (a gRPC call's).
        var ambient = Activity.Current;
        Activity.Current = null;
        try
        {
            ActivityContext parent = default;
            if (trace.ParentId is { } parentId) ActivityContext.TryParse(parentId, trace.TraceState, isRemote: true, out parent);
            using var activity = Source.CreateActivity(_spanNames[hop.Node.Index * HopKinds + (int)hop.Kind], ActivityKind.Internal, parent);
            if (activity is null) return;
            var start = At(hop.Start);
            activity.SetStartTime(start);
            activity.Start();
            Describe(activity, hop, trace);
            AddEvents(activity, hop);
            if (hop.Kind == HopKind.Drop) activity.SetStatus(ActivityStatusCode.Error, hop.DropReason);
            // An Activity whose duration is zero takes the wall clock as its end when stopped: keep at least one tick.
            var end = At(hop.End);
            activity.SetEndTime(end > start ? end : start.AddTicks(1));
            activity.Stop();
            trace.Continue(activity.Id!, activity.TraceStateString);
        }
        finally
        {
            Activity.Current = ambient;
        }
    }

    private void Describe(Activity activity, in HopSpan hop, FrameTrace trace)
    {
        var frame = hop.Frame;
        activity.SetTag(TraceAttributes.Node, hop.Node.Name);
        activity.SetTag(TraceAttributes.Hop, KindName(hop.Kind));
        activity.SetTag(TraceAttributes.FrameId, frame.Id);
        activity.SetTag(TraceAttributes.Stream, trace.StreamName);
        activity.SetTag(TraceAttributes.StreamIndex, frame.StreamIndex);
        activity.SetTag(TraceAttributes.Sequence, frame.Sequence);
        activity.SetTag(TraceAttributes.FrameBytes, frame.LengthWithFcs);
        if (EthernetHeader.TryParse(frame.Bytes, out var header))
        {
            activity.SetTag(TraceAttributes.Pcp, header.Tag?.Pcp ?? 0);
            if (header.Tag is { } tag) activity.SetTag(TraceAttributes.Vlan, tag.Vid);
        }
        activity.SetTag(TraceAttributes.StartNs, Nanoseconds(hop.Start));
        activity.SetTag(TraceAttributes.EndNs, Nanoseconds(hop.End));
        if (hop.Ingress is { } ingress)
        {
            activity.SetTag(TraceAttributes.IngressPort, _portNames[ingress.GlobalIndex]);
            activity.SetTag(TraceAttributes.ArrivalNs, Nanoseconds(hop.ArrivedAt));
        }
        if (hop.ReceiveTimestamp is { } rx)
        {
            activity.SetTag(TraceAttributes.ReceiveTimestampNs, Nanoseconds(rx));
            activity.SetTag(TraceAttributes.HardwareRxTimestamp, Nanoseconds(hop.ReceiveClock ?? rx));
        }
        if (hop.RxQueue is { } rxQueue) activity.SetTag(TraceAttributes.RxQueue, rxQueue);
        if (hop.Egress is { } egress) activity.SetTag(TraceAttributes.EgressPort, _portNames[egress.GlobalIndex]);
        if (hop.TrafficClass is { } trafficClass) activity.SetTag(TraceAttributes.TrafficClass, trafficClass);
        if (hop.TxQueue is { } txQueue) activity.SetTag(TraceAttributes.TxQueue, txQueue);
        if (hop.EnqueuedAt is { } enqueued) activity.SetTag(TraceAttributes.EnqueueNs, Nanoseconds(enqueued));
        if (hop.GateOpenedAt is { } gateOpen) activity.SetTag(TraceAttributes.GateOpenNs, Nanoseconds(gateOpen));
        if (hop.TransmitStart is { } transmit)
        {
            activity.SetTag(TraceAttributes.TransmitStartNs, Nanoseconds(transmit));
            if (hop.EnqueuedAt is { } queued) activity.SetTag(TraceAttributes.QueueWaitNs, Nanoseconds(transmit - queued));
            activity.SetTag(TraceAttributes.GateWaitNs, Nanoseconds(hop.GateWait));
        }
        if (hop.TransmitTimestamp is { } tx)
        {
            activity.SetTag(TraceAttributes.TransmitTimestampNs, Nanoseconds(tx));
            activity.SetTag(TraceAttributes.HardwareTxTimestamp, Nanoseconds(hop.TransmitClock ?? tx));
        }
        activity.SetTag(TraceAttributes.ClockOffsetNs, Nanoseconds(hop.ClockOffset));
        if (hop.Latency is { } latency) activity.SetTag(TraceAttributes.LatencyNs, Nanoseconds(latency));
        if (hop.DropReason is { } reason) activity.SetTag(TraceAttributes.DropReason, reason);
    }

    /// <summary>The hop's instants as span events, in time order; their exact times are span attributes.</summary>
    private void AddEvents(Activity activity, in HopSpan hop)
    {
        if (hop.ReceiveTimestamp is { } rx) Event(activity, TraceAttributes.ReceiveTimestampEvent, rx);
        if (hop.Ingress is not null)
        {
            Event(activity, TraceAttributes.ReceivedEvent, hop.ArrivedAt);
            if (hop.RxQueue is not null) Event(activity, TraceAttributes.RxQueueEvent, hop.ArrivedAt);
        }
        if (hop.EnqueuedAt is { } enqueued) Event(activity, TraceAttributes.EnqueueEvent, enqueued);
        if (hop.GateOpenedAt is { } open) Event(activity, TraceAttributes.GateOpenEvent, open);
        if (hop.TransmitStart is { } transmit) Event(activity, TraceAttributes.TransmissionStartEvent, transmit);
        if (hop.TransmitTimestamp is { } tx) Event(activity, TraceAttributes.TransmitTimestampEvent, tx);
        if (hop.Kind == HopKind.Deliver) Event(activity, TraceAttributes.DeliveryEvent, hop.End);
        if (hop.Kind == HopKind.Drop) Event(activity, TraceAttributes.DropEvent, hop.End);
    }

    private void Event(Activity activity, string name, SimTime at) => activity.AddEvent(new ActivityEvent(name, At(at)));

    private DateTime At(SimTime time) => EpochUtc.AddTicks(Math.DivRem(time.Picoseconds, PicosecondsPerTick).Quotient);

    /// <summary>Whole nanoseconds, rounded down (toward earlier times, also for negative offsets).</summary>
    public static long Nanoseconds(SimTime time)
    {
        long ps = time.Picoseconds;
        long ns = ps / 1000;
        return ps % 1000 < 0 ? ns - 1 : ns;
    }

    public static string KindName(HopKind kind) => kind switch
    {
        HopKind.Send => "send",
        HopKind.Forward => "forward",
        HopKind.Deliver => "deliver",
        _ => "drop",
    };
}
