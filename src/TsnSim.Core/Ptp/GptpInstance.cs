using TsnSim.Core.Engine;
using TsnSim.Core.Frames;
using TsnSim.Core.Links;
using TsnSim.Core.Nodes;
using TsnSim.Core.Ptp.Messages;
using TsnSim.Core.Telemetry;
using TsnSim.Core.Time;

namespace TsnSim.Core.Ptp;

/// <summary>
/// A node's gPTP (802.1AS) time-aware system, two-step, over Ethernet: every linked port
/// measures its link's delay and neighbour rate ratio (Pdelay_Req/Resp/Resp_Follow_Up, and
/// answers its neighbour's); the grandmaster sends Sync and Follow_Up every sync interval on its
/// clock; a bridge relays them from its slave port to its master ports, adding to the
/// correction the upstream link delay and its residence time in the grandmaster's time base
/// (802.1AS 11.1.3), with the cumulative rate ratio in the Follow_Up information TLV; every node
/// but the grandmaster disciplines its own PHC with a PI servo from the offset it computes.
/// Who is grandmaster is the best master clock algorithm's answer from Announce messages
/// (802.1AS 10.3): every node starts as its own grandmaster, master ports announce the best
/// vector each announce interval, a port's information expires after three intervals without
/// one, and a change of grandmaster or slave port restarts the servo.
/// </summary>
public sealed class GptpInstance : IEventHandler
{
    private const long SyncTimer = -1;
    private const long AnnounceTimer = -2;
    private readonly Node _node;
    private readonly GptpPlan _plan;
    private readonly GptpPort[] _ports;
    private readonly EventSource _timers;
    private readonly EventSource _samples;
    private PiServo? _servo;
    private readonly ulong _clockIdentity;
    private readonly PriorityVector _own;
    private PriorityVector _best;
    private int _slavePort = -1;
    private ushort _announceSequence;
    private bool _stopped;
    private ushort _syncSequence;
    private long _frameCounter;

    // The Sync being relayed from the slave port: its sequence and ingress timestamp, and the upstream Follow_Up's content once it came.
    private ushort _ingressSyncSequence;
    private SimTime? _syncIngress;
    private (PtpTimestamp Origin, double CorrectionPs, double RateRatio)? _upstream;

    public GptpInstance(Node node, GptpPlan plan)
    {
        _node = node;
        _plan = plan;
        _clockIdentity = PortIdentity.ClockIdentityOf(node.Config.Mac);
        _ports = node.Ports.Select((p, i) => new GptpPort(p, plan.Config.DelayFilterLength) { Identity = new PortIdentity(_clockIdentity, (ushort)(i + 1)) }).ToArray();
        _timers = new EventSource(node.Context.Scheduler, EventClass.PtpTimer, node.Index);
        _samples = new EventSource(node.Context.Scheduler, EventClass.ClockSample, node.Index);
        var own = node.Config.Ptp;
        _own = new PriorityVector(own.Priority1, own.Quality, own.Priority2, _clockIdentity, 0, new PortIdentity(_clockIdentity, 0), 0);
        _best = _own;
    }

    /// <summary>True while this node is the grandmaster it knows of (its own vector is the best).</summary>
    public bool IsGrandmaster => _slavePort < 0;

    /// <summary>The port toward the grandmaster; −1 on the grandmaster.</summary>
    public int SlavePort => _slavePort;

    /// <summary>The clockIdentity of the grandmaster this node follows (its own when it is the grandmaster).</summary>
    public ulong Grandmaster => _best.Grandmaster;

    private PiServo NewServo() =>
        // As linuxptp: the servo never asks for more than the clock accepts, so its integral cannot wind up.
        new(_plan.Config.Servo with { MaxFrequencyPpb = Math.Min(_plan.Config.Servo.MaxFrequencyPpb, _node.Config.Clock.MaxAdjustmentPpb) },
            _plan.Config.SyncInterval.Picoseconds / 1e12,
            // A restarted servo starts from the clock's present correction, as linuxptp's starts from the PHC's frequency.
            initialFrequencyPpb: -Clock.AdjustmentPpb);

    public GptpPlan Plan => _plan;
    public IReadOnlyList<GptpPort> Ports => _ports;
    public ServoState ServoState => IsGrandmaster ? ServoState.Locked : _servo?.State ?? ServoState.Unlocked;

    /// <summary>The offset from the master the servo saw last (ns); 0 on the grandmaster.</summary>
    public long LastOffsetNs { get; private set; }

    private Scheduler Scheduler => _node.Context.Scheduler;
    private Clocks.PhcClock Clock => _node.Context.Clock;

    public void Start()
    {
        for (int p = 0; p < _ports.Length; p++)
            if (_ports[p].Port.Egress is not null) _timers.Schedule(SimTime.Zero, this, argument: p);
        _timers.Schedule(Clock.TrueTimeOf(_plan.Config.SyncInterval), this, argument: SyncTimer);
        _timers.Schedule(SimTime.Zero, this, argument: AnnounceTimer);
        _samples.Schedule(SimTime.Zero, this);
    }

    public void OnEvent(in ScheduledEvent scheduled)
    {
        if (scheduled.Class == EventClass.ClockSample)
        {
            long estimated = -1, truth = -1;
            if (_slavePort >= 0 && _ports[_slavePort] is { MeanLinkDelayPs: { } delay } slave)
            {
                estimated = (long)Math.Round(delay);
                truth = (slave.Port.IngressDelay.Picoseconds + slave.Port.Egress!.Delay.Picoseconds) / 2;
            }
            _node.Context.Telemetry.RecordClock(new ClockSample(scheduled.At.Picoseconds, Clock.Read(scheduled.At).Picoseconds, ServoState, _best.Grandmaster, estimated, truth));
            _samples.Schedule(scheduled.At + _plan.Config.SyncInterval, this);
            return;
        }
        if (_node.Config.Ptp.StopAt is { } stop && scheduled.At >= stop) _stopped = true;
        if (_stopped) return;
        var interval = scheduled.Argument switch
        {
            SyncTimer => _plan.Config.SyncInterval,
            AnnounceTimer => _plan.Config.AnnounceInterval,
            _ => _plan.Config.PdelayInterval,
        };
        switch (scheduled.Argument)
        {
            case SyncTimer:
                if (IsGrandmaster) SendSyncs();
                break;
            case AnnounceTimer:
                ExpireAnnounces(scheduled.At);
                SendAnnounces();
                break;
            default:
                SendPdelayRequest(_ports[scheduled.Argument]);
                break;
        }
        // Timers run on the node's own clock.
        _timers.Schedule(Clock.TrueTimeOf(Clock.Read(scheduled.At) + interval), this, argument: scheduled.Argument);
    }

    /// <summary>A PTP frame arrived on <paramref name="ingress"/>, timestamped in <see cref="Frame.RxTimestamp"/>. The caller returns the frame.</summary>
    public void Receive(Port ingress, Frame frame)
    {
        var bytes = frame.Bytes[PtpFrame.PayloadOffset..];
        if (_stopped || (_node.Config.Ptp.StopAt is { } stop && Scheduler.Now >= stop)) return;
        if (!PtpHeader.TryRead(bytes, out var header) || header.MajorSdoId != PtpHeader.GptpMajorSdoId || header.DomainNumber != _plan.Config.DomainNumber) return;
        var port = _ports[ingress.LocalIndex];
        var rx = frame.RxTimestamp;
        switch (header.MessageType)
        {
            case PtpMessageType.PdelayReq when rx.Picoseconds >= 0:
                Send(port, PdelayRespMessage.Length, PtpMessageType.PdelayResp, header.SequenceId, 0x7F, PtpHeader.TwoStepFlag, timestamped: true,
                    // t2's part below the nanosecond rides in the correctionField, as t3's does in the follow-up.
                    (h, b) => new PdelayRespMessage(h with { CorrectionField = CorrectionField(rx) }, PtpTimestamp.FromPicoseconds(rx, out _), header.SourcePortIdentity).Write(b));
                break;
            case PtpMessageType.PdelayResp when header.SequenceId == port.PdelaySequence && port.T1 is not null && header.MessageLength >= PdelayRespMessage.Length:
                var response = PdelayRespMessage.Read(header, bytes);
                if (response.RequestingPortIdentity != port.Identity) return;
                port.T2 = Reading(response.Timestamp, header);
                port.T4 = rx;
                break;
            case PtpMessageType.PdelayRespFollowUp when header.SequenceId == port.PdelaySequence && port.T4 is not null && header.MessageLength >= PdelayRespMessage.Length:
                var followUp = PdelayRespMessage.Read(header, bytes);
                if (followUp.RequestingPortIdentity != port.Identity) return;
                port.Complete(Reading(followUp.Timestamp, header), _plan.Config.NeighborPropDelayThreshold);
                break;
            case PtpMessageType.Announce when AnnounceMessage.TryRead(header, bytes, out var announce):
                // An announce that has already passed through this node would make a loop (802.1AS 10.3.8.23).
                if (announce.PathTrace.Contains(_clockIdentity) || announce.StepsRemoved >= 255) return;
                port.Announce = (new PriorityVector(announce.GrandmasterPriority1, announce.GrandmasterClockQuality, announce.GrandmasterPriority2,
                    announce.GrandmasterIdentity, (ushort)(announce.StepsRemoved + 1), header.SourcePortIdentity, port.Identity.PortNumber), announce.PathTrace, Scheduler.Now);
                SelectRoles();
                break;
            case PtpMessageType.Sync when ingress.LocalIndex == _slavePort && port.AsCapable && header.MessageLength >= SyncMessage.Length:
                _ingressSyncSequence = header.SequenceId;
                _syncIngress = rx;
                _upstream = null;
                RelaySyncs(header.SequenceId);
                break;
            case PtpMessageType.FollowUp when ingress.LocalIndex == _slavePort && _syncIngress is not null && header.SequenceId == _ingressSyncSequence:
                if (!FollowUpMessage.TryRead(header, bytes, out var message)) return;
                _upstream = (message.PreciseOriginTimestamp, CorrectionPs(header), message.Information.RateRatio);
                Synchronize(port);
                foreach (var master in _ports)
                    if (master.FollowUpDue && master.RelayedSyncEgress is not null && master.RelayedSyncSequence == _ingressSyncSequence) SendRelayedFollowUp(master);
                break;
        }
    }

    /// <summary>The egress timestamp of a frame this node asked one for.</summary>
    public void OnTransmitted(Port egress, Frame frame, SimTime timestamp)
    {
        var bytes = frame.Bytes[PtpFrame.PayloadOffset..];
        // A reading below zero (a latch latency or noise larger than the time since the start) has no PTP timestamp: the exchange is skipped.
        if (_stopped || !PtpHeader.TryRead(bytes, out var header) || timestamp.Picoseconds < 0) return;
        var port = _ports[egress.LocalIndex];
        switch (header.MessageType)
        {
            case PtpMessageType.PdelayReq:
                port.T1 = timestamp;
                break;
            case PtpMessageType.PdelayResp:
                var requester = PortIdentity.Read(bytes[(PtpHeader.Length + PtpTimestamp.Length)..]);
                Send(port, PdelayRespMessage.Length, PtpMessageType.PdelayRespFollowUp, header.SequenceId, 0x7F, 0, timestamped: false,
                    (h, b) => new PdelayRespMessage(h with { CorrectionField = CorrectionField(timestamp) }, PtpTimestamp.FromPicoseconds(timestamp, out _), requester).Write(b));
                break;
            case PtpMessageType.Sync when IsGrandmaster:
                var origin = PtpTimestamp.FromPicoseconds(timestamp, out long rest);
                Send(port, FollowUpMessage.Length, PtpMessageType.FollowUp, header.SequenceId, LogSync, 0, timestamped: false,
                    (h, b) => new FollowUpMessage(h with { CorrectionField = ToCorrectionField(rest) }, origin, new FollowUpInformationTlv(0, 0, 0, 0)).Write(b));
                break;
            // Only the egress of the Sync being relayed counts: one still queued from an earlier interval does not.
            case PtpMessageType.Sync when header.SequenceId == port.RelayedSyncSequence:
                port.RelayedSyncEgress = timestamp;
                if (port.FollowUpDue && _upstream is not null && port.RelayedSyncSequence == _ingressSyncSequence) SendRelayedFollowUp(port);
                break;
        }
    }

    private sbyte LogSync => PtpConfig.LogInterval(_plan.Config.SyncInterval);

    private void SendSyncs()
    {
        _syncSequence++;
        foreach (var port in _ports)
            if (port.Port.Egress is not null && port.AsCapable)
                Send(port, SyncMessage.Length, PtpMessageType.Sync, _syncSequence, LogSync, PtpHeader.TwoStepFlag, timestamped: true,
                    (h, b) => new SyncMessage(h, default).Write(b));
    }

    /// <summary>Bridges relay time; a host with several ports does not (it is an end station on each).</summary>
    private void RelaySyncs(ushort sequence)
    {
        if (_node is not Bridge) return;
        foreach (var port in _ports)
        {
            if (port.Port.LocalIndex == _slavePort || port.Port.Egress is null || !port.AsCapable) continue;
            port.RelayedSyncSequence = sequence;
            port.RelayedSyncEgress = null;
            port.FollowUpDue = true;
            Send(port, SyncMessage.Length, PtpMessageType.Sync, sequence, LogSync, PtpHeader.TwoStepFlag, timestamped: true, (h, b) => new SyncMessage(h, default).Write(b));
        }
    }

    /// <summary>
    /// The upstream Follow_Up, forwarded on a master port: correction += upstream link delay in
    /// the grandmaster's time base + residence time × rate ratio; the rate ratio now includes the
    /// upstream link's neighbour rate ratio.
    /// </summary>
    private void SendRelayedFollowUp(GptpPort master)
    {
        var (origin, correctionPs, upstreamRatio) = _upstream!.Value;
        var slave = _ports[_slavePort];
        double rateRatio = upstreamRatio * slave.NeighborRateRatio;
        double residence = (master.RelayedSyncEgress!.Value - _syncIngress!.Value).Picoseconds;
        double outgoing = correctionPs + (slave.MeanLinkDelayPs ?? 0) * upstreamRatio + residence * rateRatio;
        master.FollowUpDue = false;
        Send(master, FollowUpMessage.Length, PtpMessageType.FollowUp, master.RelayedSyncSequence, LogSync, 0, timestamped: false,
            (h, b) => new FollowUpMessage(h with { CorrectionField = (long)Math.Round(outgoing * 65.536) }, origin,
                new FollowUpInformationTlv(FollowUpInformationTlv.ScaledRateOffsetOf(rateRatio), 0, 0, 0)).Write(b));
    }

    /// <summary>
    /// The slave's view: the grandmaster's time at the Sync's ingress is preciseOriginTimestamp +
    /// correction + the upstream link delay in its time base; the offset is our ingress timestamp
    /// minus that, and the servo's answer sets the PHC's frequency (or steps it once).
    /// </summary>
    private void Synchronize(GptpPort slave)
    {
        if (_servo is null || _upstream is not { } upstream || slave.MeanLinkDelayPs is not { } delay) return;
        double master = upstream.Origin.TotalNanoseconds * 1000.0 + upstream.CorrectionPs + delay * upstream.RateRatio;
        var ingress = _syncIngress!.Value;
        long offsetNs = (long)Math.Round((ingress.Picoseconds - master) / 1000);
        LastOffsetNs = offsetNs;
        double ppb = _servo.Sample(offsetNs, ingress.Picoseconds / 1000);
        switch (_servo.State)
        {
            case ServoState.Jump:
                Clock.Step(new SimTime(-offsetNs * 1000));
                Clock.AdjustFrequency(-ppb);
                // The relayed Follow_Ups of this Sync still use timestamps from before the step, as they must.
                break;
            case ServoState.Locked:
                Clock.AdjustFrequency(-ppb);
                break;
        }
    }

    /// <summary>
    /// The best master clock algorithm over what the ports heard: the best of this node's own
    /// vector and each port's received one decides the grandmaster and the slave port; the other
    /// ports are master ports. A new grandmaster or slave port restarts the servo.
    /// </summary>
    private void SelectRoles()
    {
        var best = _own;
        int slave = -1;
        foreach (var port in _ports)
            if (port.Announce is { } heard && port.AsCapable && heard.Vector.CompareTo(best) < 0)
            {
                best = heard.Vector;
                slave = port.Port.LocalIndex;
            }
        if (slave != _slavePort || !best.SameGrandmaster(_best))
        {
            _servo = slave < 0 ? null : NewServo();
            _syncIngress = null;
            _upstream = null;
            foreach (var port in _ports) port.FollowUpDue = false;
        }
        _best = best;
        _slavePort = slave;
    }

    private void ExpireAnnounces(SimTime now)
    {
        var timeout = _plan.Config.AnnounceInterval * _plan.Config.AnnounceReceiptTimeout;
        foreach (var port in _ports)
            if (port.Announce is { } heard && now - heard.At > timeout) port.Announce = null;
        SelectRoles();
    }

    /// <summary>Announce on every master port: the best vector this node knows, one step further, with the path so far and this node.</summary>
    private void SendAnnounces()
    {
        // Only bridges relay time, so only they announce a grandmaster other than themselves.
        if (_node is not Bridge && !IsGrandmaster) return;
        _announceSequence++;
        IReadOnlyList<ulong> path = _slavePort < 0 ? [_clockIdentity] : [.. _ports[_slavePort].Announce!.Value.Path, _clockIdentity];
        ushort steps = _slavePort < 0 ? (ushort)0 : _best.StepsRemoved;
        foreach (var port in _ports)
        {
            if (port.Port.LocalIndex == _slavePort || port.Port.Egress is null || !port.AsCapable) continue;
            var length = AnnounceMessage.LengthFor(path.Count);
            Send(port, length, PtpMessageType.Announce, _announceSequence, PtpConfig.LogInterval(_plan.Config.AnnounceInterval), 0, timestamped: false,
                (h, b) => new AnnounceMessage(h, _best.Priority1, _best.Quality, _best.Priority2, _best.Grandmaster, steps, AnnounceMessage.InternalOscillator, path).Write(b));
        }
    }

    private void SendPdelayRequest(GptpPort port)
    {
        port.PdelaySequence++;
        port.T1 = port.T2 = port.T4 = null;
        // A neighbour that stopped answering is no longer a gPTP neighbour: what it announced stops counting at once.
        if (port.StartExchange()) SelectRoles();
        Send(port, PdelayReqMessage.Length, PtpMessageType.PdelayReq, port.PdelaySequence, PtpConfig.LogInterval(_plan.Config.PdelayInterval), 0, timestamped: true,
            (h, b) => new PdelayReqMessage(h).Write(b));
    }

    private void Send(GptpPort port, ushort length, PtpMessageType type, ushort sequence, sbyte logInterval, ushort flags, bool timestamped, Action<PtpHeader, Span<byte>> write)
    {
        var context = _node.Context;
        int frameLength = Math.Max(Ethernet.MinFrameBytes - Ethernet.FcsBytes, PtpFrame.PayloadOffset + length);
        var frame = context.Pool.Rent(frameLength);
        frame.Buffer.AsSpan(0, frameLength).Clear();
        PtpFrame.WriteHeader(frame.Buffer, _node.Config.Mac);
        var header = new PtpHeader(type, length, port.Identity, sequence)
        {
            DomainNumber = _plan.Config.DomainNumber,
            Flags = (ushort)(flags | (type == PtpMessageType.Announce ? PtpHeader.PtpTimescaleFlag : 0)),
            LogMessageInterval = logInterval,
        };
        write(header, frame.Buffer.AsSpan(PtpFrame.PayloadOffset));
        frame.Length = frameLength;
        // PTP frames count in an id space of their own (bit 38), apart from streams' and injections'.
        frame.Id = ((long)(_node.Index + 1) << 40) | (1L << 38) | ++_frameCounter;
        frame.CreatedAt = Scheduler.Now;
        frame.WantsTxTimestamp = timestamped;
        port.Port.Enqueue(frame);
    }

    private static double CorrectionPs(in PtpHeader header) => header.CorrectionField / 65.536;

    /// <summary>A peer's timestamp with the sub-nanosecond part its message carried in the correctionField, as a clock reading.</summary>
    private static SimTime Reading(PtpTimestamp timestamp, in PtpHeader header) =>
        new(timestamp.TotalNanoseconds * 1000 + (long)Math.Round(CorrectionPs(header)));

    private static long CorrectionField(SimTime reading)
    {
        PtpTimestamp.FromPicoseconds(reading, out long rest);
        return ToCorrectionField(rest);
    }

    /// <summary>Picoseconds as a correctionField: ns × 2^16.</summary>
    private static long ToCorrectionField(long ps) => (long)Math.Round(ps * 65.536);
}
