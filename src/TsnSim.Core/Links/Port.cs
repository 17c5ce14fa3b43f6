using TsnSim.Core.Engine;
using TsnSim.Core.Frames;
using TsnSim.Core.Nodes;
using TsnSim.Core.Time;
using TsnSim.Core.Topology;
using TsnSim.Core.Tracing;

namespace TsnSim.Core.Links;

/// <summary>
/// A node's port: an egress FIFO in front of a transmitter that sends one frame at a time onto its
/// link, busy for the frame's whole wire time (preamble, frame, FCS and inter-frame gap); and the
/// ingress side that hands arriving frames to the node.
/// </summary>
public sealed class Port : IEventHandler
{
    private readonly FrameQueue _queue;
    private readonly EventSource _transmitComplete;
    private readonly EventSource? _gateChange;
    private readonly Tsn.TransmissionSelection? _selection;
    private readonly EventSource? _scheduleInstall;
    private readonly List<Tsn.GateControlList> _installs = [];
    private long _gateChangeDuePs = long.MaxValue;
    private bool _transmitting;

    public Port(Node owner, PortConfig config, int localIndex, int globalIndex, Scheduler scheduler)
    {
        Owner = owner;
        Config = config;
        LocalIndex = localIndex;
        GlobalIndex = globalIndex;
        _queue = new FrameQueue(config.QueueCapacity);
        _transmitComplete = new EventSource(scheduler, EventClass.TransmitComplete, globalIndex);
        if (config.Egress is { } egress)
        {
            _selection = new Tsn.TransmissionSelection(egress, config.QueueCapacity, owner.Context.Clock);
            _gateChange = new EventSource(scheduler, EventClass.GateControl, globalIndex);
            _scheduleInstall = new EventSource(scheduler, EventClass.GateScheduleInstall, globalIndex);
            foreach (var change in egress.ScheduleChanges) AcceptSchedule(change.At, change.Schedule);
        }
    }

    /// <summary>The port's traffic classes, gates and shapers, with their per-class counters; null on a port without classes.</summary>
    public Tsn.TransmissionSelection? Classes => _selection;

    /// <summary>Per traffic class, the frames sent; null on a port without classes.</summary>
    public IReadOnlyList<long>? ClassTxFrames => _selection?.TxFrames;

    /// <summary>
    /// Takes a gate schedule to install at true time <paramref name="at"/> (as if tc replaced
    /// the port's taprio then); it takes over at its own base time (see <see cref="Tsn.GateTimeline"/>).
    /// </summary>
    public void AcceptSchedule(SimTime at, Tsn.GateControlList schedule)
    {
        if (_selection is null) throw new InvalidOperationException($"port {Owner.Name}:{Name} has no traffic classes to schedule");
        _installs.Add(schedule);
        _scheduleInstall!.Schedule(at, this, argument: _installs.Count - 1);
    }

    public Node Owner { get; }
    public PortConfig Config { get; }
    public string Name => Config.Name;
    public int LocalIndex { get; }
    public int GlobalIndex { get; }
    public PortCounters Counters { get; } = new();

    /// <summary>Where this port transmits; null while no link uses the port.</summary>
    public LinkChannel? Egress { get; private set; }

    public int QueueDepth => _selection?.Count ?? _queue.Count;

    /// <summary>
    /// Queued frames that some PTP node answers on the port they arrive by (Pdelay_Req,
    /// Delay_Req): what bounds this port's reflect promise while data fills its queue.
    /// </summary>
    public int QueuedRequests { get; private set; }

    /// <summary>When the transmitter is free again (the end of the current frame's inter-frame gap).</summary>
    public SimTime BusyUntil { get; private set; }

    /// <summary>Propagation delay of the link's other direction, toward this port (they differ on an asymmetric link).</summary>
    public SimTime IngressDelay { get; private set; }

    public void Attach(LinkChannel egress, SimTime ingressDelay)
    {
        Egress = egress;
        IngressDelay = ingressDelay;
    }

    /// <summary>Takes a frame for transmission; drops and counts it when the queue is full or no link is attached.</summary>
    public void Enqueue(Frame frame)
    {
        // Only a PTP node's reflect promise reads the count: other ports skip the check on every frame.
        if (Owner.Ptp is not null && Core.Ptp.Messages.PtpFrame.IsAnsweredOnIngress(frame.Bytes)) QueuedRequests++;
        if (frame.Trace is { } trace) TraceHops.Enqueued(trace, _transmitComplete.Scheduler.Now);
        if (Egress is null)
        {
            Counters.UnlinkedDrops++;
            Drop(frame, "egress port has no link");
            return;
        }
        if (_selection is not null)
        {
            if (!_selection.TryEnqueue(frame, _transmitComplete.Scheduler.Now, out bool late))
            {
                if (late) Counters.LaunchTimeDrops++;
                else Counters.QueueDrops++;
                Drop(frame, late ? "launch time already past (etf)" : "egress queue of its traffic class full");
                return;
            }
            if (_selection.Count > Counters.MaxQueueDepth) Counters.MaxQueueDepth = _selection.Count;
            if (!_transmitting) TransmitNext();
            return;
        }
        if (!_transmitting)
        {
            StartTransmission(frame);
            return;
        }
        if (!_queue.TryEnqueue(frame))
        {
            Counters.QueueDrops++;
            Drop(frame, "egress queue full");
            return;
        }
        if (_queue.Count > Counters.MaxQueueDepth) Counters.MaxQueueDepth = _queue.Count;
    }

    /// <summary>
    /// With traffic classes: the frame transmission selection picks, or, when the gates hold
    /// every waiting frame, a wake-up when they next change (on the node's clock).
    /// </summary>
    private void TransmitNext()
    {
        var now = _transmitComplete.Scheduler.Now;
        Frame? frame;
        long changePs;
        while ((frame = _selection!.Select(now, Egress!.Rate, out changePs, out bool late)) is not null && late)
        {
            Counters.LaunchTimeDrops++;
            Drop(frame, "launch time passed");
        }
        if (frame is not null)
        {
            StartTransmission(frame);
            return;
        }
        if (changePs == long.MaxValue) return;
        var clock = Owner.Context.Clock;
        var at = clock.TrueTimeOf(new SimTime(changePs));
        if (at <= now) at = now + new SimTime(1);
        // One wake-up at a time suffices: an earlier one re-evaluates and asks again.
        if (at.Picoseconds >= _gateChangeDuePs && _gateChangeDuePs > now.Picoseconds) return;
        _gateChangeDuePs = at.Picoseconds;
        _gateChange!.Schedule(at, this);
    }

    private void StartTransmission(Frame frame)
    {
        if (QueuedRequests > 0 && Core.Ptp.Messages.PtpFrame.IsAnsweredOnIngress(frame.Bytes)) QueuedRequests--;
        var egress = Egress!;
        var now = _transmitComplete.Scheduler.Now;
        int bytes = frame.LengthWithFcs;
        _transmitting = true;
        Counters.TxFrames++;
        Counters.TxBytes += bytes;
        BusyUntil = now + Ethernet.WireTime(bytes, egress.Rate);
        _transmitComplete.Schedule(BusyUntil, this);
        if (frame.WantsTxTimestamp) Owner.OnTransmitted(this, frame, Owner.Context.Timestamper.Egress(now + egress.Rate.TimeFor(Ethernet.PreambleAndSfdBytes)));
        if (frame.Trace is { } trace) TraceHops.Transmitting(this, frame, trace, now, egress.Rate);
        Owner.Context.Capture?.OnFrame(this, frame, now, outbound: true);
        egress.Carry(frame, now, now + Ethernet.TimeToLastBit(bytes, egress.Rate) + egress.Delay);
    }

    /// <summary>The transmitter is free again (the inter-frame gap has passed): send the next frame.</summary>
    public void OnEvent(in ScheduledEvent scheduled)
    {
        if (scheduled.Class == EventClass.GateScheduleInstall)
        {
            _selection!.Install(_installs[(int)scheduled.Argument], scheduled.At);
            if (!_transmitting) TransmitNext();
            return;
        }
        if (scheduled.Class == EventClass.GateControl)
        {
            if (scheduled.At.Picoseconds == _gateChangeDuePs) _gateChangeDuePs = long.MaxValue;
            if (!_transmitting) TransmitNext();
            return;
        }
        _transmitting = false;
        if (_selection is not null) TransmitNext();
        else if (_queue.TryDequeue(out var next)) StartTransmission(next);
    }

    /// <summary>
    /// A frame's last bit has arrived on this port, at <paramref name="arrival"/>, from the port
    /// with global index <paramref name="sourcePort"/>. The time comes with the event because a
    /// host's arrivals may run on a scheduler of their own (see <c>Partition.ArrivalScheduler</c>).
    /// </summary>
    public void Arrive(Frame frame, int sourcePort, SimTime transmitStart, SimTime arrival)
    {
        Counters.RxFrames++;
        Counters.RxBytes += frame.LengthWithFcs;
        // What the sender asked of its own NIC ends at its wire: a node that forwards the frame asks again if it wants to (a transparent clock does).
        frame.WantsTxTimestamp = false;
        frame.LaunchTime = Frame.NoLaunchTime;
        frame.Priority = 0;
        frame.HasSocketPriority = false;
        Owner.Context.Telemetry.RecordHop(frame, sourcePort, GlobalIndex, transmitStart, arrival);
        frame.GateWait = SimTime.Zero;
        // The ingress timestamp of a PTP frame: its SFD arrived one preamble and the propagation delay after transmission started.
        if ((Owner.Ptp is not null && Core.Ptp.Messages.PtpFrame.IsPtp(frame.Bytes)) || Owner.TimestampsEveryFrame)
            frame.RxTimestamp = Owner.Context.Timestamper.Ingress(transmitStart + Egress!.Rate.TimeFor(Ethernet.PreambleAndSfdBytes) + IngressDelay);
        if (frame.Trace is { } trace) TraceHops.Arrived(this, trace, transmitStart, arrival);
        Owner.Context.Capture?.OnFrame(this, frame, transmitStart + IngressDelay, outbound: false);
        Owner.Receive(this, frame, arrival);
    }

    private void Drop(Frame frame, string reason)
    {
        if (QueuedRequests > 0 && Core.Ptp.Messages.PtpFrame.IsAnsweredOnIngress(frame.Bytes)) QueuedRequests--;
        if (frame.Trace is { } trace) TraceHops.Dropped(Owner, frame, trace, _transmitComplete.Scheduler.Now, reason, this);
        Owner.Context.Pool.Return(frame);
    }
}
