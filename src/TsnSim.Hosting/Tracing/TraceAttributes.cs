namespace TsnSim.Hosting.Tracing;

/// <summary>
/// Names of the span and event attributes of frame traces: what the tracer writes and what
/// <c>tsnsim trace</c> reads back. Times ending in <c>_ns</c> are exact virtual nanoseconds since
/// the run's time zero (span timestamps themselves are epoch + virtual time, to the 100 ns a
/// .NET Activity holds); <c>tsnsim.hw.*</c> are node-clock readings.
/// </summary>
public static class TraceAttributes
{
    /// <summary>Resource attribute: the run the spans belong to.</summary>
    public const string RunId = "tsnsim.run_id";

    public const string Node = "tsnsim.node";
    public const string Hop = "tsnsim.hop";
    public const string FrameId = "tsnsim.frame.id";
    public const string FrameBytes = "tsnsim.frame.bytes";
    public const string Stream = "tsnsim.stream";
    public const string StreamIndex = "tsnsim.stream.index";
    public const string Sequence = "tsnsim.frame.sequence";
    public const string Pcp = "tsnsim.pcp";
    public const string Vlan = "tsnsim.vlan";
    public const string TrafficClass = "tsnsim.traffic_class";
    public const string IngressPort = "tsnsim.ingress.port";
    public const string EgressPort = "tsnsim.egress.port";
    public const string TxQueue = "tsnsim.tx_queue";
    public const string RxQueue = "tsnsim.rx_queue";
    public const string HardwareRxTimestamp = "tsnsim.hw.rx_timestamp_ns";
    public const string HardwareTxTimestamp = "tsnsim.hw.tx_timestamp_ns";
    public const string StartNs = "tsnsim.true.start_ns";
    public const string EndNs = "tsnsim.true.end_ns";
    public const string ReceiveTimestampNs = "tsnsim.true.rx_timestamp_ns";
    public const string ArrivalNs = "tsnsim.true.arrival_ns";
    public const string EnqueueNs = "tsnsim.true.enqueue_ns";
    public const string TransmitStartNs = "tsnsim.true.transmit_start_ns";
    public const string TransmitTimestampNs = "tsnsim.true.tx_timestamp_ns";
    public const string GateOpenNs = "tsnsim.true.gate_open_ns";
    public const string QueueWaitNs = "tsnsim.queue_wait_ns";
    public const string GateWaitNs = "tsnsim.gate_wait_ns";
    public const string ClockOffsetNs = "tsnsim.clock_offset_ns";
    public const string LatencyNs = "tsnsim.latency_ns";
    public const string DropReason = "tsnsim.drop.reason";

    // Span events, in the order they happen on a node. They carry no attributes of their own:
    // each one's exact time is a span attribute (TimeOf), so an event costs no tag collection.
    public const string ReceiveTimestampEvent = "receive timestamp";
    public const string ReceivedEvent = "received";
    public const string RxQueueEvent = "rx queue";
    public const string EnqueueEvent = "enqueue";
    public const string GateOpenEvent = "gate open";
    public const string TransmissionStartEvent = "transmission start";
    public const string TransmitTimestampEvent = "transmit timestamp";
    public const string DeliveryEvent = "delivery";
    public const string DropEvent = "drop";

    /// <summary>The span attribute holding the exact virtual time (ns) of the event named <paramref name="eventName"/>.</summary>
    public static string? TimeOf(string eventName) => eventName switch
    {
        ReceiveTimestampEvent => ReceiveTimestampNs,
        ReceivedEvent or RxQueueEvent => ArrivalNs,
        EnqueueEvent => EnqueueNs,
        GateOpenEvent => GateOpenNs,
        TransmissionStartEvent => TransmitStartNs,
        TransmitTimestampEvent => TransmitTimestampNs,
        DeliveryEvent or DropEvent => EndNs,
        _ => null,
    };
}
