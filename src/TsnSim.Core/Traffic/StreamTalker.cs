using TsnSim.Core.Engine;
using TsnSim.Core.Frames;
using TsnSim.Core.Links;
using TsnSim.Core.Nodes;
using TsnSim.Core.Time;

namespace TsnSim.Core.Traffic;

/// <summary>
/// Sends one stream's frames: the first at the start offset, then one every period, until the
/// count is reached or the run's duration passes. Each frame is built whole (802.1Q tag when the
/// stream asks for one, the 32-byte stream payload, zero fill) and handed to the talker port.
/// </summary>
public sealed class StreamTalker : IEventHandler
{
    private readonly Host _host;
    private readonly Port _port;
    private readonly EventSource _timer;
    private readonly EthernetHeader _header;
    private readonly int _payloadLength;
    private readonly FlowPacketWriter? _flow;
    private long _sequence;
    private bool _stopped;

    // With timer: node_clock, the clock reading of frame 0: frame k goes when the node's clock reads this + k × period.
    private SimTime? _clockStart;

    public StreamTalker(Host host, Port port, StreamPlan plan)
    {
        _host = host;
        _port = port;
        Plan = plan;
        _timer = new EventSource(host.Context.Scheduler, EventClass.Talker, plan.Index);
        var config = plan.Config;
        VlanTag? tag = config.Tagged ? new VlanTag(config.Pcp, config.Dei, config.Vlan ?? 0) : null;
        var etherType = config.Flow is null ? EtherTypes.LocalExperimental1 : config.Flow.IsIpv6 ? EtherTypes.Ipv6 : EtherTypes.Ipv4;
        _header = new EthernetHeader(plan.Destination, host.Config.Mac, tag, etherType);
        _flow = config.Flow is { } flow ? new FlowPacketWriter(flow) : null;
        _payloadLength = config.FrameSize - Ethernet.FcsBytes - _header.Length - (config.Flow?.HeaderBytes ?? 0);
    }

    public StreamPlan Plan { get; }

    /// <summary>The port the stream leaves by.</summary>
    public Port Port => _port;

    /// <summary>Frames sent so far.</summary>
    public long Sent => _sequence;

    /// <summary>False once stopped or past its count.</summary>
    public bool Running => !_stopped && (Plan.Config.Count is not { } count || _sequence < count);

    public void Start()
    {
        var config = Plan.Config;
        var start = config.RandomStart
            ? new SimTime(_host.Context.Random.NextInt64(config.Period.Picoseconds))
            : config.Start;
        if (config.OnNodeClock)
        {
            // Frame k at start + k × period on the node's clock.
            _clockStart = start;
            start = _host.Context.Clock.TrueTimeOf(start);
        }
        StartAt(start);
    }

    /// <summary>Schedules the first frame at <paramref name="first"/> (a stream started while the run goes on).</summary>
    public void StartAt(SimTime first)
    {
        if (IsWithinRun(first)) _timer.Schedule(first, this);
    }

    /// <summary>Sends nothing more; the timer already pending fires and does nothing.</summary>
    public void Stop() => _stopped = true;

    public void OnEvent(in ScheduledEvent scheduled)
    {
        var now = scheduled.At;
        // A run stopped while this frame's timer was pending ends before it.
        if (_stopped || !IsWithinRun(now)) return;
        var frame = _host.Context.Pool.Rent(_header.Length + (_flow?.Flow.HeaderBytes ?? 0) + _payloadLength);
        frame.Id = _host.NextFrameId();
        frame.StreamIndex = Plan.Index;
        frame.Sequence = _sequence++;
        frame.CreatedAt = now;
        if (Plan.Config.LaunchAfter is { } after)
        {
            frame.LaunchTime = _host.Context.Clock.Read(now) + after;
            frame.LaunchDeadlineMode = Plan.Config.LaunchDeadlineMode;
        }
        if (Plan.Config.TxTimestamps)
        {
            frame.WantsTxTimestamp = true;
            frame.HandedOverAt = _host.Context.Clock.Read(now);
        }
        int offset = _header.Write(frame.Buffer);
        int headers = _flow?.Flow.HeaderBytes ?? 0;
        var payload = frame.Buffer.AsSpan(offset + headers, _payloadLength);
        new StreamPayload(Plan.Index, frame.Sequence, frame.Id, now).Write(payload);
        payload[StreamPayload.Length..].Clear();
        _flow?.Write(frame.Buffer.AsSpan(offset), frame.Sequence, _payloadLength);
        frame.Length = offset + headers + _payloadLength;
        if (_host.Context.Tracer is { } tracer) frame.Trace = tracer.Begin(_host, frame);
        _host.Context.Telemetry.Stream(Plan.Index).Sent++;
        _port.Enqueue(frame);

        var next = _clockStart is { } origin ? Max(now, _host.Context.Clock.TrueTimeOf(origin + Plan.Config.Period * _sequence)) : now + Plan.Config.Period;
        if (IsWithinRun(next) && (Plan.Config.Count is not { } count || _sequence < count))
            _timer.Schedule(next, this);
    }

    private static SimTime Max(SimTime a, SimTime b) => a > b ? a : b;

    private bool IsWithinRun(SimTime time) => time < _host.Context.Duration;
}
