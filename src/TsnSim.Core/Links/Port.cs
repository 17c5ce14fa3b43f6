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
        // A multi-queue NIC's port always selects among its Tx queues: in the classes its egress names, or in one class over them all.
        var nic = owner.Config.Kind == NodeKind.Host ? owner.Config.Nic : null;
        if ((config.Egress ?? (nic is null ? null : Tsn.EgressConfig.SingleClass(nic.TxQueues))) is { } egress)
        {
            // A NIC's ring bounds what its queue holds; the ports of bridges and plain hosts hold their queue capacity per Tx queue.
            _selection = new Tsn.TransmissionSelection(egress, nic?.TxRingSize ?? config.QueueCapacity, owner.Context.Clock);
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

    /// <summary>The transmit side of the host's multi-queue NIC on this port; null on other ports.</summary>
    public Nic.NicTransmitter? Transmitter { get; private set; }

    /// <summary>The host stack submits what this port sends to its NIC, which admits it to the Tx queues as descriptors and buffers allow.</summary>
    public void AttachTransmitter(Nic.NicTransmitter transmitter) => Transmitter = transmitter;

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

    /// <summary>
    /// Takes a frame for transmission; drops and counts it when the queue is full or no link is
    /// attached. On a multi-queue NIC's port the frame is submitted to the NIC first.
    /// </summary>
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
        if (Transmitter is { } nic) nic.Submit(frame, _transmitComplete.Scheduler.Now);
        else Admit(frame);
    }

    /// <summary>A frame goes to its Tx queue (traffic classes) or the port's FIFO; a NIC admits what it has a descriptor and buffers for.</summary>
    public void Admit(Frame frame)
    {
        if (_selection is not null)
        {
            if (!_selection.TryEnqueue(frame, _transmitComplete.Scheduler.Now, out bool late))
            {
                if (late) Counters.LaunchTimeDrops++;
                else Counters.QueueDrops++;
                DropAdmitted(frame, late ? "launch time already past (etf)" : "egress queue of its traffic class full");
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
            DropAdmitted(frame, "launch time passed");
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
        var lastBit = now + Ethernet.TimeToLastBit(bytes, egress.Rate);
        // A multi-queue NIC timestamps every frame it sends: the timestamp goes on the Tx completion.
        bool onCompletion = false;
        if (frame.WantsTxTimestamp || Transmitter is not null)
        {
            var timestamp = Owner.Context.Timestamper.Egress(now + egress.Rate.TimeFor(Ethernet.PreambleAndSfdBytes));
            if (Transmitter is { } nic) onCompletion = nic.Started(frame, lastBit, timestamp);
            if (frame.WantsTxTimestamp && !onCompletion) Owner.OnTransmitted(this, frame, timestamp);
        }
        if (frame.Trace is { } trace) TraceHops.Transmitting(this, frame, trace, now, egress.Rate);
        Owner.Context.Capture?.OnFrame(this, frame, now, outbound: true);
        egress.Carry(frame, now, lastBit + egress.Delay);
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
        frame.TxQueue = -1;
        Owner.Context.Telemetry.RecordHop(frame, sourcePort, GlobalIndex, transmitStart, arrival);
        frame.GateWait = SimTime.Zero;
        // The ingress timestamp of a PTP frame: its SFD arrived one preamble and the propagation delay after transmission started.
        if ((Owner.Ptp is not null && Core.Ptp.Messages.PtpFrame.IsPtp(frame.Bytes)) || Owner.TimestampsEveryFrame)
            frame.RxTimestamp = Owner.Context.Timestamper.Ingress(transmitStart + Egress!.Rate.TimeFor(Ethernet.PreambleAndSfdBytes) + IngressDelay);
        if (frame.Trace is { } trace) TraceHops.Arrived(this, trace, transmitStart, arrival);
        Owner.Context.Capture?.OnFrame(this, frame, transmitStart + IngressDelay, outbound: false);
        Owner.Receive(this, frame, arrival);
    }

    /// <summary>The host stack drops a frame it held for its NIC (see <see cref="Nic.NicTransmitter"/>).</summary>
    public void DropWaiting(Frame frame, string reason)
    {
        Counters.QueueDrops++;
        Drop(frame, reason);
    }

    /// <summary>A frame dropped after its NIC admitted it: the NIC completes its descriptor without sending it.</summary>
    private void DropAdmitted(Frame frame, string reason)
    {
        Transmitter?.Discarded(frame, _transmitComplete.Scheduler.Now);
        Drop(frame, reason);
    }

    private void Drop(Frame frame, string reason)
    {
        if (QueuedRequests > 0 && Core.Ptp.Messages.PtpFrame.IsAnsweredOnIngress(frame.Bytes)) QueuedRequests--;
        if (frame.Trace is { } trace) TraceHops.Dropped(Owner, frame, trace, _transmitComplete.Scheduler.Now, reason, this);
        Owner.Context.Pool.Return(frame);
    }
}
