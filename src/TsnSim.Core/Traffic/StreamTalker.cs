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
    // The application's bandwidth control: frames waiting for tokens, in order.
    private readonly Queue<Frame> _backlog = new();
    private TokenBucket? _bucket;
    private byte? _priority;
    private const long ReleaseArgument = 1;
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
        _priority = config.Priority;
        if (config.Shaper is { } shaper) _bucket = new TokenBucket(shaper, 0);
    }

    /// <summary>Frames the application's bandwidth control dropped (policing, or its backlog full).</summary>
    public long ShaperDrops { get; private set; }

    /// <summary>Frames that waited for tokens.</summary>
    public long ShaperDelayed { get; private set; }

    /// <summary>The application's socket priority now (null: none set).</summary>
    public byte? Priority => _priority;

    /// <summary>The application's bandwidth control now (null: none).</summary>
    public TokenBucketConfig? Shaper => _bucket?.Config;

    /// <summary>
    /// New settings from now on (the traffic API's SetApplicationPriority): the socket priority for
    /// frames handed on from now, and the rate limit (null: none; the frames waiting go at once).
    /// </summary>
    public void Reconfigure(byte? priority, TokenBucketConfig? shaper, SimTime now)
    {
        _priority = priority;
        if (shaper is null) _bucket = null;
        else if (_bucket is null) _bucket = new TokenBucket(shaper, now.Picoseconds);
        else _bucket.Reconfigure(shaper, now.Picoseconds);
        Release(now);
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
        if (scheduled.Argument == ReleaseArgument)
        {
            Release(now);
            return;
        }
        // A run stopped while this frame's timer was pending ends before it.
        if (_stopped || !IsWithinRun(now)) return;
        // A sleeping host's applications send nothing; the stream goes on when it wakes.
        if (_host.Power is { Asleep: true })
        {
            // The frame a sleeping host would have sent is not sent at all; its slot passes (and its sequence number), so the
            // stream keeps its grid, on the node's clock too.
            _sequence++;
            ScheduleNext(now);
            return;
        }
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
        Submit(frame, now);

        ScheduleNext(now);
    }

    private void ScheduleNext(SimTime now)
    {
        var next = _clockStart is { } origin ? Max(now, _host.Context.Clock.TrueTimeOf(origin + Plan.Config.Period * _sequence)) : now + Plan.Config.Period;
        if (IsWithinRun(next) && (Plan.Config.Count is not { } count || _sequence < count))
            _timer.Schedule(next, this);
    }

    /// <summary>The application hands a frame to its socket: it goes to the port at once, or waits for its bandwidth control's tokens.</summary>
    private void Submit(Frame frame, SimTime now)
    {
        if (_bucket is null || (_backlog.Count == 0 && _bucket.TryTake(WireBytes(frame), now.Picoseconds)))
        {
            HandOver(frame);
            return;
        }
        if (_bucket.Config.Drop || _backlog.Count >= _bucket.Config.Backlog)
        {
            ShaperDrops++;
            if (frame.Trace is { } trace) Tracing.TraceHops.Dropped(_host, frame, trace, now, _bucket.Config.Drop
                ? $"over the application's rate limit of {_bucket.Config.Rate} (policing)" : $"the application's bandwidth control already holds {_backlog.Count} frames");
            _host.Context.Pool.Return(frame);
            return;
        }
        ShaperDelayed++;
        _backlog.Enqueue(frame);
        if (_backlog.Count == 1) _timer.Schedule(new SimTime(_bucket.ReadyAtPs(WireBytes(frame), now.Picoseconds)), this, argument: ReleaseArgument);
    }

    /// <summary>Hands on the frames waiting whose tokens have come, and waits for the next one's.</summary>
    private void Release(SimTime now)
    {
        while (_backlog.TryPeek(out var head))
        {
            // A sleeping host sends nothing: what waits for tokens waits for the host too, and goes on at the next release after it wakes.
            if (_host.Power is { Asleep: true } && _bucket is not null)
            {
                _timer.Schedule(now + Plan.Config.Period, this, argument: ReleaseArgument);
                return;
            }
            if (_bucket is not null && !_bucket.TryTake(WireBytes(head), now.Picoseconds))
            {
                _timer.Schedule(new SimTime(_bucket.ReadyAtPs(WireBytes(head), now.Picoseconds)), this, argument: ReleaseArgument);
                return;
            }
            HandOver(_backlog.Dequeue());
        }
    }

    private void HandOver(Frame frame)
    {
        if (_priority is { } priority)
        {
            frame.Priority = priority;
            frame.HasSocketPriority = true;
        }
        _port.Enqueue(frame);
    }

    /// <summary>What a frame costs the bucket: its bytes on the wire, preamble and inter-frame gap included (as a stream's rate counts them).</summary>
    private static int WireBytes(Frame frame) => frame.LengthWithFcs + Ethernet.PreambleAndSfdBytes + Ethernet.InterFrameGapBytes;

    private static SimTime Max(SimTime a, SimTime b) => a > b ? a : b;

    private bool IsWithinRun(SimTime time) => time < _host.Context.Duration;
}
