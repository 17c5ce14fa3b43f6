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
public sealed class GptpInstance : PtpStack
{
    private const long SyncTimer = -1;
    private const long AnnounceTimer = -2;
    private readonly GptpPort[] _ports;
    private readonly PriorityVector _own;
    private PriorityVector _best;
    private int _slavePort = -1;
    private ushort _announceSequence;
    private ushort _syncSequence;

    // The Sync being relayed from the slave port: its sequence and ingress timestamp, and the upstream Follow_Up's content once it came.
    private ushort _ingressSyncSequence;
    private SimTime? _syncIngress;
    private (PtpTimestamp Origin, double CorrectionPs, double RateRatio)? _upstream;

    public GptpInstance(Node node, PtpPlan plan)
        : base(node, plan, PtpFrame.GptpDestination, PtpHeader.GptpMajorSdoId)
    {
        _ports = node.Ports.Select((p, i) => new GptpPort(p, plan.Config.DelayFilterLength) { Identity = new PortIdentity(ClockIdentity, (ushort)(i + 1)) }).ToArray();
        var own = node.Config.Ptp;
        _own = new PriorityVector(own.Priority1, own.Quality, own.Priority2, ClockIdentity, 0, new PortIdentity(ClockIdentity, 0), 0);
        _best = _own;
    }

    /// <summary>True while this node is the grandmaster it knows of (its own vector is the best).</summary>
    public override bool IsGrandmaster => _slavePort < 0;

    /// <summary>The port toward the grandmaster; −1 on the grandmaster.</summary>
    public int SlavePort => _slavePort;

    public override ulong Grandmaster => _best.Grandmaster;

    public IReadOnlyList<GptpPort> Ports => _ports;

    public override bool AnswersOnIngress(ReadOnlySpan<byte> frame) => PtpFrame.IsPeerDelayRequest(frame);

    public override void Start()
    {
        for (int p = 0; p < _ports.Length; p++)
            if (_ports[p].Port.Egress is not null) Timers.Schedule(SimTime.Zero, this, argument: p);
        Timers.Schedule(Clock.TrueTimeOf(Config.SyncInterval), this, argument: SyncTimer);
        Timers.Schedule(SimTime.Zero, this, argument: AnnounceTimer);
        StartSampling();
    }

    protected override (long Estimated, long Truth) SlaveDelay() =>
        _slavePort >= 0 && _ports[_slavePort] is { MeanLinkDelayPs: { } delay } slave
            ? ((long)Math.Round(delay), (slave.Port.IngressDelay.Picoseconds + slave.Port.Egress!.Delay.Picoseconds) / 2)
            : (-1, -1);

    protected override void OnTimer(in ScheduledEvent scheduled)
    {
        var interval = scheduled.Argument switch
        {
            SyncTimer => Config.SyncInterval,
            AnnounceTimer => Config.AnnounceInterval,
            _ => Config.PdelayInterval,
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
        Rearm(scheduled, interval);
    }

    /// <summary>A gPTP frame arrived on <paramref name="ingress"/>, timestamped in <see cref="Frame.RxTimestamp"/>. The caller returns the frame.</summary>
    public override void Receive(Port ingress, Frame frame)
    {
        var bytes = frame.Bytes[PtpFrame.PayloadOffset..];
        if (Stopped || !PtpHeader.TryRead(bytes, out var header) || !IsOurs(header)) return;
        var port = _ports[ingress.LocalIndex];
        var rx = frame.RxTimestamp;
        switch (header.MessageType)
        {
            case PtpMessageType.PdelayReq when rx.Picoseconds >= 0:
                Send(port, PdelayRespMessage.Length, PtpMessageType.PdelayResp, header.SequenceId, 0x7F, PtpHeader.TwoStepFlag, timestamped: true,
                    // t2's part below the nanosecond rides in the correctionField, as t3's does in the follow-up.
                    (h, b) => new PdelayRespMessage(h with { CorrectionField = SubNanosecondCorrection(rx) }, PtpTimestamp.FromPicoseconds(rx, out _), header.SourcePortIdentity).Write(b));
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
                port.Complete(Reading(followUp.Timestamp, header), Config.NeighborPropDelayThreshold);
                break;
            case PtpMessageType.Announce when AnnounceMessage.TryRead(header, bytes, out var announce):
                // An announce that has already passed through this node would make a loop (802.1AS 10.3.8.23).
                if (announce.PathTrace.Contains(ClockIdentity) || announce.StepsRemoved >= 255) return;
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

    public override void OnTransmitted(Port egress, Frame frame, SimTime timestamp)
    {
        var bytes = frame.Bytes[PtpFrame.PayloadOffset..];
        // A reading below zero (a latch latency or noise larger than the time since the start) has no PTP timestamp: the exchange is skipped.
        if (Stopped || !PtpHeader.TryRead(bytes, out var header) || timestamp.Picoseconds < 0) return;
        var port = _ports[egress.LocalIndex];
        switch (header.MessageType)
        {
            case PtpMessageType.PdelayReq:
                port.T1 = timestamp;
                break;
            case PtpMessageType.PdelayResp:
                var requester = PortIdentity.Read(bytes[(PtpHeader.Length + PtpTimestamp.Length)..]);
                Send(port, PdelayRespMessage.Length, PtpMessageType.PdelayRespFollowUp, header.SequenceId, 0x7F, 0, timestamped: false,
                    (h, b) => new PdelayRespMessage(h with { CorrectionField = SubNanosecondCorrection(timestamp) }, PtpTimestamp.FromPicoseconds(timestamp, out _), requester).Write(b));
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
        if (Node is not Bridge) return;
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
            (h, b) => new FollowUpMessage(h with { CorrectionField = ToCorrectionField(outgoing) }, origin,
                new FollowUpInformationTlv(FollowUpInformationTlv.ScaledRateOffsetOf(rateRatio), 0, 0, 0)).Write(b));
    }

    /// <summary>
    /// The slave's view: the grandmaster's time at the Sync's ingress is preciseOriginTimestamp +
    /// correction + the upstream link delay in its time base; the offset is our ingress timestamp
    /// minus that, and the servo's answer sets the PHC's frequency (or steps it once).
    /// </summary>
    private void Synchronize(GptpPort slave)
    {
        if (_upstream is not { } upstream || slave.MeanLinkDelayPs is not { } delay) return;
        double master = upstream.Origin.TotalNanoseconds * 1000.0 + upstream.CorrectionPs + delay * upstream.RateRatio;
        var ingress = _syncIngress!.Value;
        // After a step, the relayed Follow_Ups of this Sync still use timestamps from before it, as they must.
        Discipline(ingress.Picoseconds - master, ingress);
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
            RestartServo(following: slave >= 0);
            _syncIngress = null;
            _upstream = null;
            foreach (var port in _ports) port.FollowUpDue = false;
        }
        _best = best;
        _slavePort = slave;
    }

    private void ExpireAnnounces(SimTime now)
    {
        var timeout = Config.AnnounceInterval * Config.AnnounceReceiptTimeout;
        foreach (var port in _ports)
            if (port.Announce is { } heard && now - heard.At > timeout) port.Announce = null;
        SelectRoles();
    }

    /// <summary>Announce on every master port: the best vector this node knows, one step further, with the path so far and this node.</summary>
    private void SendAnnounces()
    {
        // Only bridges relay time, so only they announce a grandmaster other than themselves.
        if (Node is not Bridge && !IsGrandmaster) return;
        _announceSequence++;
        IReadOnlyList<ulong> path = _slavePort < 0 ? [ClockIdentity] : [.. _ports[_slavePort].Announce!.Value.Path, ClockIdentity];
        ushort steps = _slavePort < 0 ? (ushort)0 : _best.StepsRemoved;
        foreach (var port in _ports)
        {
            if (port.Port.LocalIndex == _slavePort || port.Port.Egress is null || !port.AsCapable) continue;
            var length = AnnounceMessage.LengthFor(path.Count);
            Send(port, length, PtpMessageType.Announce, _announceSequence, PtpConfig.LogInterval(Config.AnnounceInterval), 0, timestamped: false,
                (h, b) => new AnnounceMessage(h, _best.Priority1, _best.Quality, _best.Priority2, _best.Grandmaster, steps, AnnounceMessage.InternalOscillator, path).Write(b));
        }
    }

    private void SendPdelayRequest(GptpPort port)
    {
        port.PdelaySequence++;
        port.T1 = port.T2 = port.T4 = null;
        // A neighbour that stopped answering is no longer a gPTP neighbour: what it announced stops counting at once.
        if (port.StartExchange()) SelectRoles();
        Send(port, PdelayReqMessage.Length, PtpMessageType.PdelayReq, port.PdelaySequence, PtpConfig.LogInterval(Config.PdelayInterval), 0, timestamped: true,
            (h, b) => new PdelayReqMessage(h).Write(b));
    }

    private void Send(GptpPort port, ushort length, PtpMessageType type, ushort sequence, sbyte logInterval, ushort flags, bool timestamped, Action<PtpHeader, Span<byte>> write) =>
        Send(port.Port, port.Identity, length, type, sequence, logInterval, flags, timestamped, write);
}
