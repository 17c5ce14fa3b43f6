using TsnSim.Core.Engine;
using TsnSim.Core.Frames;
using TsnSim.Core.Links;
using TsnSim.Core.Nodes;
using TsnSim.Core.Ptp.Messages;
using TsnSim.Core.Time;

namespace TsnSim.Core.Ptp.E2e;

/// <summary>
/// A bridge as an IEEE 1588 end-to-end transparent clock, two-step (1588 10.2, 11.5): it forwards
/// PTP messages like any multicast and measures each event message's residence time, from its
/// ingress to its egress timestamp on its own clock. A Sync's residence goes into the
/// correctionField of the Follow_Up that leaves the same port after it (a one-step Sync's into
/// the Sync itself, as it starts on the wire); a Delay_Req's into the Delay_Resp that comes back
/// by the port it left through, answering it. It takes no part in the best master choice and
/// keeps no time of its own: its clock runs free, which makes each residence wrong by at most
/// its frequency offset times the residence (100 ppm of a few µs: a fraction of a ns).
/// </summary>
public sealed class TransparentClock(Node node, PtpPlan plan) : PtpStack(node, plan, PtpFrame.E2eDestination, majorSdoId: 0)
{
    /// <summary>How long a measured residence waits for its Follow_Up or Delay_Resp: one that never comes (a Delay_Req flooded away from the master) is forgotten.</summary>
    private static readonly SimTime Retention = SimTime.FromSeconds(4);

    private SimTime _sweptAt;
    private readonly Dictionary<(int Port, PtpMessageType Type, PortIdentity Source, ushort Sequence), (double ResidencePs, SimTime At)> _residences = [];

    public override bool IsGrandmaster => false;
    public override ulong Grandmaster => 0;
    public override bool ForwardsAnsweredRequests => true;

    public override bool AnswersOnIngress(ReadOnlySpan<byte> frame) => false;

    public override void Start() { }

    /// <summary>gPTP's link-local frames are not for an end-to-end transparent clock; the bridge discards them.</summary>
    public override void Receive(Port ingress, Frame frame) { }

    /// <summary>
    /// A 1588 frame about to be forwarded: every message that may need its egress time asks for
    /// it, and a Delay_Resp takes the residence of the Delay_Req it answers, which left by the port it came in by.
    /// </summary>
    public void Admit(Port ingress, Frame frame)
    {
        if (Stopped || MacAddress.Read(frame.Bytes) != PtpFrame.E2eDestination || !PtpFrame.IsPtp(frame.Bytes)) return;
        var bytes = frame.Bytes[PtpFrame.PayloadOffset..];
        if (!PtpHeader.TryRead(bytes, out var header) || !IsOurs(header)) return;
        switch (header.MessageType)
        {
            case PtpMessageType.Sync or PtpMessageType.DelayReq or PtpMessageType.FollowUp:
                frame.WantsTxTimestamp = true;
                break;
            case PtpMessageType.DelayResp when header.MessageLength >= DelayRespMessage.Length:
                var requester = DelayRespMessage.Read(header, bytes).RequestingPortIdentity;
                AddResidence(bytes, header, (ingress.LocalIndex, PtpMessageType.DelayReq, requester, header.SequenceId));
                break;
        }
    }

    public override void OnTransmitted(Port egress, Frame frame, SimTime timestamp)
    {
        var bytes = frame.Bytes[PtpFrame.PayloadOffset..];
        // Only what Admit accepted asks for its egress time here; anything else is not ours to correct.
        if (Stopped || MacAddress.Read(frame.Bytes) != PtpFrame.E2eDestination || !PtpFrame.IsPtp(frame.Bytes) || !PtpHeader.TryRead(bytes, out var header) || !IsOurs(header)) return;
        var key = (egress.LocalIndex, header.MessageType, header.SourcePortIdentity, header.SequenceId);
        double residence = (timestamp - frame.RxTimestamp).Picoseconds;
        switch (header.MessageType)
        {
            case PtpMessageType.Sync when (header.Flags & PtpHeader.TwoStepFlag) == 0:
                WriteCorrection(bytes, header.CorrectionField + ToCorrectionField(residence));
                break;
            case PtpMessageType.Sync or PtpMessageType.DelayReq:
                Forget();
                _residences[key] = (residence, Scheduler.Now);
                break;
            case PtpMessageType.FollowUp:
                AddResidence(bytes, header, (egress.LocalIndex, PtpMessageType.Sync, header.SourcePortIdentity, header.SequenceId));
                break;
        }
    }

    private void AddResidence(Span<byte> message, in PtpHeader header, (int, PtpMessageType, PortIdentity, ushort) key)
    {
        if (!_residences.Remove(key, out var measured)) return;
        WriteCorrection(message, header.CorrectionField + ToCorrectionField(measured.ResidencePs));
    }

    private static void WriteCorrection(Span<byte> message, long correctionField) =>
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(message[8..], correctionField);

    private void Forget()
    {
        // A sweep at most once a retention period: a flooded Delay_Req leaves an entry on every port away from the master.
        if (_residences.Count < 64 || Scheduler.Now - _sweptAt < Retention) return;
        _sweptAt = Scheduler.Now;
        foreach (var (key, value) in _residences.ToArray())
            if (Scheduler.Now - value.At > Retention) _residences.Remove(key);
    }

    protected override void OnTimer(in ScheduledEvent timer) { }

    protected override (long Estimated, long Truth) SlaveDelay() => (-1, -1);
}
