using TsnSim.Core.Engine;
using TsnSim.Core.Frames;
using TsnSim.Core.Links;
using TsnSim.Core.Nodes;
using TsnSim.Core.Ptp.Messages;
using TsnSim.Core.Telemetry;
using TsnSim.Core.Time;

namespace TsnSim.Core.Ptp;

/// <summary>
/// What every PTP node shares, whatever its profile: its timers on its own clock, the clock
/// samples the time-error telemetry reads (every sync interval of true time), the stop time,
/// the frames it builds and queues, and the PI servo that disciplines its PHC.
/// </summary>
public abstract class PtpStack : IEventHandler
{
    private readonly EventSource _samples;
    private readonly MacAddress _destination;
    private readonly byte _majorSdoId;
    private long _frameCounter;
    private PiServo? _servo;
    private bool _stopped;

    protected PtpStack(Node node, PtpPlan plan, MacAddress destination, byte majorSdoId)
    {
        Node = node;
        Plan = plan;
        _destination = destination;
        _majorSdoId = majorSdoId;
        ClockIdentity = PortIdentity.ClockIdentityOf(node.Config.Mac);
        Timers = new EventSource(node.Context.Scheduler, EventClass.PtpTimer, node.Index);
        _samples = new EventSource(node.Context.Scheduler, EventClass.ClockSample, node.Index);
    }

    public PtpPlan Plan { get; }
    protected PtpConfig Config => Plan.Config;
    protected Node Node { get; }
    protected EventSource Timers { get; }
    protected ulong ClockIdentity { get; }
    protected Scheduler Scheduler => Node.Context.Scheduler;
    protected Clocks.PhcClock Clock => Node.Context.Clock;

    /// <summary>True while this node is the grandmaster it knows of.</summary>
    public abstract bool IsGrandmaster { get; }

    /// <summary>The clockIdentity of the grandmaster this node follows (its own when it is the grandmaster).</summary>
    public abstract ulong Grandmaster { get; }

    public ServoState ServoState => IsGrandmaster ? ServoState.Locked : _servo?.State ?? ServoState.Unlocked;

    /// <summary>The offset from the master the servo saw last (ns); 0 on the grandmaster.</summary>
    public long LastOffsetNs { get; private set; }

    /// <summary>
    /// Whether this node forwards requests that its neighbour answers on the link they came by
    /// (a transparent clock forwards Delay_Req): then nothing bounds such a frame more tightly
    /// than any other frame, which distributed runs must know (reflect promises).
    /// </summary>
    public virtual bool ForwardsAnsweredRequests => false;

    /// <summary>Whether this stack answers <paramref name="frame"/> on the port it came in by (a gPTP Pdelay_Req; a 1588 Delay_Req, for an ordinary clock).</summary>
    public abstract bool AnswersOnIngress(ReadOnlySpan<byte> frame);

    /// <summary>Schedules the first timers and clock samples. Called once, at time zero.</summary>
    public abstract void Start();

    /// <summary>A PTP frame arrived on <paramref name="ingress"/>, timestamped in <see cref="Frame.RxTimestamp"/>.</summary>
    public abstract void Receive(Port ingress, Frame frame);

    /// <summary>The egress timestamp of a frame that asked for one (<see cref="Frame.WantsTxTimestamp"/>), as it starts on the wire.</summary>
    public abstract void OnTransmitted(Port egress, Frame frame, SimTime timestamp);

    /// <summary>A PTP timer (its argument says which) fired while the stack runs.</summary>
    protected abstract void OnTimer(in ScheduledEvent timer);

    /// <summary>The slave side's measured delay to the master (ps, master's time base) and its true value; −1 where there is none.</summary>
    protected abstract (long Estimated, long Truth) SlaveDelay();

    /// <summary>The node's stack stopped (<c>ptp: { stop_at }</c>): from then on it sends and answers nothing; its clock runs on.</summary>
    protected bool Stopped
    {
        get
        {
            if (!_stopped && Node.Config.Ptp.StopAt is { } stop && Scheduler.Now >= stop) _stopped = true;
            return _stopped;
        }
    }

    protected void StartSampling() => _samples.Schedule(SimTime.Zero, this);

    public void OnEvent(in ScheduledEvent scheduled)
    {
        if (scheduled.Class == EventClass.ClockSample)
        {
            var (estimated, truth) = SlaveDelay();
            Node.Context.Telemetry.RecordClock(new ClockSample(scheduled.At.Picoseconds, Clock.Read(scheduled.At).Picoseconds, ServoState, Grandmaster, estimated, truth));
            _samples.Schedule(scheduled.At + Config.SyncInterval, this);
            return;
        }
        if (!Stopped) OnTimer(scheduled);
    }

    /// <summary>Schedules a timer <paramref name="interval"/> after <paramref name="from"/> on the node's own clock.</summary>
    protected void Rearm(in ScheduledEvent from, SimTime interval) =>
        Timers.Schedule(Clock.TrueTimeOf(Clock.Read(from.At) + interval), this, argument: from.Argument);

    /// <summary>A new servo (a new master or path), or none on the grandmaster.</summary>
    protected void RestartServo(bool following) =>
        _servo = following
            // As linuxptp: the servo never asks for more than the clock accepts, so its integral cannot wind up;
            // and a restarted servo starts from the clock's present correction, as linuxptp's starts from the PHC's frequency.
            ? new PiServo(Config.Servo with { MaxFrequencyPpb = Math.Min(Config.Servo.MaxFrequencyPpb, Node.Config.Clock.MaxAdjustmentPpb) },
                Config.SyncInterval.Picoseconds / 1e12, initialFrequencyPpb: -Clock.AdjustmentPpb)
            : null;

    /// <summary>
    /// One offset from the master (our clock minus the master's, ps) measured at our clock reading
    /// <paramref name="local"/>: the servo's answer sets the PHC's frequency, or steps it once.
    /// </summary>
    protected void Discipline(double offsetPs, SimTime local)
    {
        if (_servo is null) return;
        long offsetNs = (long)Math.Round(offsetPs / 1000);
        LastOffsetNs = offsetNs;
        double ppb = _servo.Sample(offsetNs, local.Picoseconds / 1000);
        switch (_servo.State)
        {
            case ServoState.Jump:
                Clock.Step(new SimTime(-offsetNs * 1000));
                Clock.AdjustFrequency(-ppb);
                break;
            case ServoState.Locked:
                Clock.AdjustFrequency(-ppb);
                break;
        }
    }

    /// <summary>Builds a PTP message in a frame of its own and queues it on <paramref name="port"/>.</summary>
    protected void Send(Port port, PortIdentity source, ushort length, PtpMessageType type, ushort sequence, sbyte logInterval, ushort flags, bool timestamped,
        Action<PtpHeader, Span<byte>> write)
    {
        var context = Node.Context;
        int frameLength = Math.Max(Ethernet.MinFrameBytes - Ethernet.FcsBytes, PtpFrame.PayloadOffset + length);
        var frame = context.Pool.Rent(frameLength);
        frame.Buffer.AsSpan(0, frameLength).Clear();
        PtpFrame.WriteHeader(frame.Buffer, Node.Config.Mac, _destination);
        var header = new PtpHeader(type, length, source, sequence)
        {
            MajorSdoId = _majorSdoId,
            DomainNumber = Config.DomainNumber,
            Flags = (ushort)(flags | (type == PtpMessageType.Announce ? PtpHeader.PtpTimescaleFlag : 0)),
            LogMessageInterval = logInterval,
        };
        write(header, frame.Buffer.AsSpan(PtpFrame.PayloadOffset));
        frame.Length = frameLength;
        // PTP frames count in an id space of their own (bit 38), apart from streams' and injections'.
        frame.Id = ((long)(Node.Index + 1) << 40) | (1L << 38) | ++_frameCounter;
        frame.CreatedAt = Scheduler.Now;
        frame.WantsTxTimestamp = timestamped;
        frame.Priority = Config.SocketPriority;
        port.Enqueue(frame);
    }

    /// <summary>Whether a received message belongs to this stack: its profile's majorSdoId and its domain.</summary>
    protected bool IsOurs(in PtpHeader header) => header.MajorSdoId == _majorSdoId && header.DomainNumber == Config.DomainNumber;

    protected sbyte LogSync => PtpConfig.LogInterval(Config.SyncInterval);

    protected static double CorrectionPs(in PtpHeader header) => header.CorrectionField / 65.536;

    /// <summary>A peer's timestamp with the sub-nanosecond part its message carried in the correctionField, as a clock reading.</summary>
    protected static SimTime Reading(PtpTimestamp timestamp, in PtpHeader header) =>
        new(timestamp.TotalNanoseconds * 1000 + (long)Math.Round(CorrectionPs(header)));

    /// <summary>The part of a reading below the nanosecond, as a correctionField (the message's timestamp carries the rest).</summary>
    protected static long SubNanosecondCorrection(SimTime reading)
    {
        PtpTimestamp.FromPicoseconds(reading, out long rest);
        return ToCorrectionField(rest);
    }

    /// <summary>Picoseconds as a correctionField: ns × 2^16.</summary>
    protected static long ToCorrectionField(double ps) => (long)Math.Round(ps * 65.536);
}
