using TsnSim.Core.Engine;
using TsnSim.Core.Frames;
using TsnSim.Core.Links;
using TsnSim.Core.Nodes;
using TsnSim.Core.Ptp.Messages;
using TsnSim.Core.Time;

namespace TsnSim.Core.Ptp.E2e;

/// <summary>
/// An IEEE 1588 ordinary clock of the default delay request-response profile, two-step, over
/// Ethernet to 01-1B-19-00-00-00: every host announces itself until it hears a better master
/// (the data set comparison of <see cref="PriorityVector"/> over the foreign masters each port
/// heard within announceReceiptTimeout); a master sends Sync and Follow_Up on every linked port
/// each sync interval and answers Delay_Req with Delay_Resp; a slave measures the whole path to
/// its master with Delay_Req and disciplines its PHC with the PI servo (1588 11.3):
/// <c>meanPathDelay = ((t2 − t1) + (t4 − t3) − correction(Sync, Follow_Up) − correction(Delay_Resp)) / 2</c>,
/// <c>offset = t2 − t1 − correction(Sync, Follow_Up) − meanPathDelay</c>, the corrections carrying
/// the residence times the transparent clocks on the way measured.
/// </summary>
public sealed class OrdinaryClock : PtpStack
{
    private const long SyncTimer = -1;
    private const long AnnounceTimer = -2;
    private readonly PortIdentity[] _identities;
    private readonly Dictionary<PortIdentity, ForeignMaster>[] _foreign;
    private readonly PriorityVector _own;
    private readonly MovingMedian _pathDelays;
    private PriorityVector _best;
    private int _slavePort = -1;
    private ushort _syncSequence, _announceSequence, _delayRequestSequence;

    // The slave's exchanges with its master: the last Sync's ingress (t2) and correction, the last Delay_Req's egress (t3).
    private ushort _ingressSyncSequence;
    private (SimTime T2, double CorrectionPs)? _sync;
    private SimTime? _t3;

    // t2 − t1 − correction of the last complete Sync: the master-to-slave delay plus the slave's offset.
    private double? _lastSyncOffset;

    public OrdinaryClock(Node node, PtpPlan plan)
        : base(node, plan, PtpFrame.E2eDestination, majorSdoId: 0)
    {
        _identities = node.Ports.Select((_, i) => new PortIdentity(ClockIdentity, (ushort)(i + 1))).ToArray();
        _foreign = node.Ports.Select(_ => new Dictionary<PortIdentity, ForeignMaster>()).ToArray();
        var own = node.Config.Ptp;
        _own = new PriorityVector(own.Priority1, own.Quality, own.Priority2, ClockIdentity, 0, new PortIdentity(ClockIdentity, 0), 0);
        _best = _own;
        _pathDelays = new MovingMedian(plan.Config.DelayFilterLength);
    }

    public override bool IsGrandmaster => _slavePort < 0;
    public override ulong Grandmaster => _best.Grandmaster;

    public override bool AnswersOnIngress(ReadOnlySpan<byte> frame) => PtpFrame.IsDelayRequest(frame);

    /// <summary>The port toward the master; −1 while this clock is the grandmaster.</summary>
    public int SlavePort => _slavePort;

    /// <summary>The filtered mean path delay to the master (ps, master's time base); null before the first Delay_Resp.</summary>
    public double? MeanPathDelayPs { get; private set; }

    public override void Start()
    {
        for (int p = 0; p < _identities.Length; p++)
            if (Node.Ports[p].Egress is not null) Timers.Schedule(Clock.TrueTimeOf(Config.DelayRequestInterval), this, argument: p);
        Timers.Schedule(Clock.TrueTimeOf(Config.SyncInterval), this, argument: SyncTimer);
        Timers.Schedule(SimTime.Zero, this, argument: AnnounceTimer);
        StartSampling();
    }

    protected override (long Estimated, long Truth) SlaveDelay() =>
        !IsGrandmaster && MeanPathDelayPs is { } delay && Plan.PathDelaysPs.TryGetValue(_best.Grandmaster, out var truth)
            ? ((long)Math.Round(delay), truth)
            : (-1, -1);

    protected override void OnTimer(in ScheduledEvent timer)
    {
        switch (timer.Argument)
        {
            case SyncTimer:
                if (IsGrandmaster) SendSyncs();
                Rearm(timer, Config.SyncInterval);
                break;
            case AnnounceTimer:
                ExpireForeignMasters(timer.At);
                if (IsGrandmaster) SendAnnounces();
                Rearm(timer, Config.AnnounceInterval);
                break;
            default:
                // A slave asks once it has heard its master's Sync (1588 9.5.11: in the UNCALIBRATED and SLAVE states).
                if (timer.Argument == _slavePort && _sync is not null) SendDelayRequest(Node.Ports[_slavePort]);
                Rearm(timer, Config.DelayRequestInterval);
                break;
        }
    }

    public override void Receive(Port ingress, Frame frame)
    {
        var bytes = frame.Bytes[PtpFrame.PayloadOffset..];
        if (Stopped || !PtpHeader.TryRead(bytes, out var header) || !IsOurs(header) || header.SourcePortIdentity.ClockIdentity == ClockIdentity) return;
        int p = ingress.LocalIndex;
        var rx = frame.RxTimestamp;
        bool fromMaster = p == _slavePort && header.SourcePortIdentity == _best.Sender;
        switch (header.MessageType)
        {
            case PtpMessageType.Announce when AnnounceMessage.TryRead(header, bytes, out var announce):
                if (announce.StepsRemoved >= 255) return;
                _foreign[p][header.SourcePortIdentity] = new ForeignMaster(new PriorityVector(announce.GrandmasterPriority1, announce.GrandmasterClockQuality,
                    announce.GrandmasterPriority2, announce.GrandmasterIdentity, (ushort)(announce.StepsRemoved + 1), header.SourcePortIdentity, _identities[p].PortNumber), Scheduler.Now);
                SelectMaster();
                break;
            case PtpMessageType.Sync when fromMaster && header.MessageLength >= SyncMessage.Length && rx.Picoseconds >= 0:
                _ingressSyncSequence = header.SequenceId;
                _sync = (rx, CorrectionPs(header));
                // A one-step Sync carries t1 itself.
                if ((header.Flags & PtpHeader.TwoStepFlag) == 0) Synchronize(SyncMessage.Read(header, bytes).OriginTimestamp, 0);
                break;
            case PtpMessageType.FollowUp when fromMaster && _sync is not null && header.SequenceId == _ingressSyncSequence && header.MessageLength >= SyncMessage.Length:
                Synchronize(SyncMessage.Read(header, bytes).OriginTimestamp, CorrectionPs(header));
                break;
            case PtpMessageType.DelayReq when IsGrandmaster && rx.Picoseconds >= 0 && header.MessageLength >= DelayReqMessage.Length:
                // t4's part below the nanosecond is taken off the correction, as 1588 11.3.2 has it (t4 − correction is what the slave uses).
                Send(ingress, _identities[p], DelayRespMessage.Length, PtpMessageType.DelayResp, header.SequenceId, PtpConfig.LogInterval(Config.DelayRequestInterval), 0, timestamped: false,
                    (h, b) => new DelayRespMessage(h with { CorrectionField = header.CorrectionField - SubNanosecondCorrection(rx) }, PtpTimestamp.FromPicoseconds(rx, out _), header.SourcePortIdentity).Write(b));
                break;
            case PtpMessageType.DelayResp when fromMaster && _t3 is { } t3 && header.SequenceId == _delayRequestSequence && header.MessageLength >= DelayRespMessage.Length:
                var response = DelayRespMessage.Read(header, bytes);
                if (response.RequestingPortIdentity != _identities[p]) return;
                CompleteDelayExchange(t3, response.ReceiveTimestamp.TotalNanoseconds * 1000.0 - CorrectionPs(header));
                break;
        }
    }

    public override void OnTransmitted(Port egress, Frame frame, SimTime timestamp)
    {
        var bytes = frame.Bytes[PtpFrame.PayloadOffset..];
        if (Stopped || !PtpHeader.TryRead(bytes, out var header) || timestamp.Picoseconds < 0) return;
        switch (header.MessageType)
        {
            case PtpMessageType.Sync when IsGrandmaster:
                var origin = PtpTimestamp.FromPicoseconds(timestamp, out long rest);
                // 1588's Follow_Up (13.7) has Sync's layout: the header and preciseOriginTimestamp, with no 802.1AS TLV.
                Send(egress, _identities[egress.LocalIndex], SyncMessage.Length, PtpMessageType.FollowUp, header.SequenceId, LogSync, 0, timestamped: false,
                    (h, b) => new SyncMessage(h with { CorrectionField = ToCorrectionField(rest) }, origin).Write(b));
                break;
            case PtpMessageType.DelayReq when header.SequenceId == _delayRequestSequence:
                _t3 = timestamp;
                break;
        }
    }

    /// <summary>
    /// The delay exchange done: t4 − correction(Delay_Resp) from the master, against the last Sync's
    /// t2 − t1 − correction (1588 11.3.2); the moving median of the result is the mean path delay.
    /// </summary>
    private void CompleteDelayExchange(SimTime t3, double masterT4Ps)
    {
        _t3 = null;
        if (_lastSyncOffset is not { } masterToSlave) return;
        double slaveToMaster = masterT4Ps - t3.Picoseconds;
        MeanPathDelayPs = _pathDelays.Add((masterToSlave + slaveToMaster) / 2);
    }

    private void Synchronize(PtpTimestamp origin, double followUpCorrectionPs)
    {
        var (t2, syncCorrection) = _sync!.Value;
        double masterToSlave = t2.Picoseconds - (origin.TotalNanoseconds * 1000.0 + syncCorrection + followUpCorrectionPs);
        _lastSyncOffset = masterToSlave;
        if (MeanPathDelayPs is not { } delay) return;
        Discipline(masterToSlave - delay, t2);
        // A step makes the last Sync's and any Delay_Req's timestamps from before it useless for the next delay measurement.
        if (ServoState == ServoState.Jump) (_lastSyncOffset, _t3) = (null, null);
    }

    /// <summary>
    /// The best master over this clock's own vector and every port's foreign masters; another
    /// grandmaster or another master port restarts the servo and the delay measurement.
    /// </summary>
    private void SelectMaster()
    {
        var best = _own;
        int slave = -1;
        for (int p = 0; p < _foreign.Length; p++)
            foreach (var heard in _foreign[p].Values)
                if (heard.Vector.CompareTo(best) < 0)
                {
                    best = heard.Vector;
                    slave = p;
                }
        if (slave != _slavePort || best.Sender != _best.Sender || !best.SameGrandmaster(_best))
        {
            RestartServo(following: slave >= 0);
            _sync = null;
            _t3 = null;
            _lastSyncOffset = null;
            MeanPathDelayPs = null;
            _pathDelays.Clear();
        }
        _best = best;
        _slavePort = slave;
    }

    private void ExpireForeignMasters(SimTime now)
    {
        var timeout = Config.AnnounceInterval * Config.AnnounceReceiptTimeout;
        foreach (var masters in _foreign)
            foreach (var (identity, heard) in masters.ToArray())
                if (now - heard.At > timeout) masters.Remove(identity);
        SelectMaster();
    }

    private void SendSyncs()
    {
        _syncSequence++;
        foreach (var port in Node.Ports)
            if (port.Egress is not null)
                Send(port, _identities[port.LocalIndex], SyncMessage.Length, PtpMessageType.Sync, _syncSequence, LogSync, PtpHeader.TwoStepFlag, timestamped: true,
                    (h, b) => new SyncMessage(h, default).Write(b));
    }

    private void SendAnnounces()
    {
        _announceSequence++;
        foreach (var port in Node.Ports)
            if (port.Egress is not null)
                Send(port, _identities[port.LocalIndex], AnnounceMessage.LengthFor(1), PtpMessageType.Announce, _announceSequence, PtpConfig.LogInterval(Config.AnnounceInterval), 0, timestamped: false,
                    (h, b) => new AnnounceMessage(h, _own.Priority1, _own.Quality, _own.Priority2, ClockIdentity, 0, AnnounceMessage.InternalOscillator, [ClockIdentity]).Write(b));
    }

    private void SendDelayRequest(Port port)
    {
        _delayRequestSequence++;
        _t3 = null;
        Send(port, _identities[port.LocalIndex], DelayReqMessage.Length, PtpMessageType.DelayReq, _delayRequestSequence, 0x7F, 0, timestamped: true,
            (h, b) => new DelayReqMessage(h).Write(b));
    }
}
