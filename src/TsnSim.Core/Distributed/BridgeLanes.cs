using TsnSim.Core.Engine;
using TsnSim.Core.Frames;
using TsnSim.Core.Nodes;
using TsnSim.Core.Simulation;
using TsnSim.Core.Time;
using TsnSim.Core.Topology;

namespace TsnSim.Core.Distributed;

/// <summary>
/// Runs a partition that is one bridge as lanes: per port, an arrival lane (frames coming in,
/// learned), a forward lane (their forwarding, a processing delay later) and an egress lane (its
/// transmitter). Frames going east through a bridge and frames going west meet only where they
/// share an egress port or where one teaches the filtering database where the other's
/// destination is. So an event may run as soon as nothing that could still come before it in
/// the run's order touches what it touches:
///
/// - an arrival on port p: once nothing earlier can arrive on p (the link's promise);
/// - a forward: once its filtering-database answer is settled (below), and once every egress
///   port it may send to is settled (below);
/// - an egress port e is settled for an event when no other forward lane has anything earlier
///   pending, and no arrival, pending or still to come on another port, can be forwarded to it
///   earlier (its time plus the processing delay).
///
/// A lookup is settled when no ingress port can still learn the destination address before it:
/// no earlier arrival from that address waits there, and the link cannot bring one (its promise,
/// or its novelty promise when the address has never come that way). Learning the port the
/// answer already names changes no answer. The database keeps learnings by event key, so a lane
/// that runs ahead never shows a lookup the future.
///
/// The result is the single event list's, to the bit: east and west no longer wait for each
/// other's promises, which is what lets two-way traffic through a chain of bridges run ahead.
/// Used only where every effect of an event is one of these: a bridge without PTP, traffic
/// classes, traces or captures, with a processing delay (forwarding one step behind learning).
/// </summary>
public sealed class BridgeLanes
{
    private const int EventsPerStep = 1024;

    // A port's three lanes are numbered kind × ports + port.
    private const int Arrivals = 0, Forwards = 1, Transmitter = 2, LaneKinds = 3;

    private static int LaneOf(int kind, int port, int ports) => kind * ports + port;

    /// <summary>How much virtual time passes between two clean-ups of the learnings no lookup can need.</summary>
    private const long ForgetEveryPs = 1_000_000_000;

    private readonly Scheduler _scheduler;
    private readonly Bridge _bridge;
    private readonly int _ports;
    private readonly long _processingPs;
    private readonly InboundLink?[] _inboundByPort;
    private readonly RemoteLinkChannel?[] _outboundByPort;
    private readonly long[] _sendLimitPs;
    private long _lastForgetPs;

    public BridgeLanes(Partition partition)
    {
        _scheduler = partition.Scheduler;
        _bridge = (Bridge)partition.Nodes.Single();
        _ports = _bridge.Ports.Count;
        _processingPs = _bridge.Config.ProcessingDelay.Picoseconds;
        _inboundByPort = new InboundLink?[_ports];
        foreach (var link in partition.InboundLinks) _inboundByPort[link.Destination.LocalIndex] = link;
        _outboundByPort = new RemoteLinkChannel?[_ports];
        foreach (var channel in partition.RemoteChannels) _outboundByPort[channel.Source.LocalIndex] = channel;
        _sendLimitPs = new long[_ports];
        _bridge.Fdb.KeepHistory();
        _bridge.Context.Telemetry.HoldHopsInEventOrder(() => _scheduler.CurrentKey);
    }

    /// <summary>
    /// The lane of each event of <paramref name="node"/> when it may run in lanes (alone in its
    /// partition, among others), or null. Decided from the topology alone, before any event.
    /// </summary>
    public static Func<ScheduledEvent, int>? PlanFor(TopologyConfig topology, RunSettings settings, PartitionLayout layout, string partition, int nodeIndex, int firstPort, out int lanes)
    {
        lanes = 0;
        var config = topology.Nodes[nodeIndex];
        if (config.Kind != NodeKind.Switch || layout.Partitions.Count < 2 || layout.NodesOf(partition).Count != 1) return null;
        if (topology.Ptp is not null || config.ProcessingDelay.Picoseconds <= 0 || config.Ports.Count > 64) return null;
        if (settings.Tracer is not null || settings.Capture is not null || config.Ports.Any(p => p.Egress is not null)) return null;
        int ports = config.Ports.Count;
        lanes = LaneKinds * ports;
        var ingressOfDirection = new Dictionary<int, int>();
        for (int i = 0; i < topology.Links.Count; i++)
        {
            var link = topology.Links[i];
            if (link.A.Node == config.Name) ingressOfDirection[2 * i + 1] = config.PortIndex(link.A.Port);
            if (link.B.Node == config.Name) ingressOfDirection[2 * i] = config.PortIndex(link.B.Port);
        }
        return scheduled => scheduled.Class switch
        {
            EventClass.FrameArrival => LaneOf(Arrivals, ingressOfDirection[scheduled.SourceIndex], ports),
            EventClass.Forward => LaneOf(Forwards, scheduled.SourceIndex - firstPort, ports),
            EventClass.TransmitComplete => LaneOf(Transmitter, scheduled.SourceIndex - firstPort, ports),
            _ => throw new InvalidOperationException($"bridge {config.Name} running in lanes got an event of class {scheduled.Class}, which has no lane"),
        };
    }

    /// <summary>
    /// Runs events that are settled, the earliest first, and returns how many ran: none later
    /// than <paramref name="limitPs"/>, and what may send on a port none later than the
    /// horizon its receiver granted (<paramref name="peerHorizons"/>).
    /// </summary>
    public long Run(long limitPs, IReadOnlyDictionary<string, long> peerHorizons)
    {
        for (int p = 0; p < _ports; p++)
            _sendLimitPs[p] = _outboundByPort[p] is { } channel ? Math.Min(limitPs, peerHorizons[channel.PeerPartition]) : limitPs;
        long ran = 0;
        while (ran < EventsPerStep)
        {
            int best = -1;
            for (int lane = 0; lane < LaneKinds * _ports; lane++)
            {
                var heap = _scheduler.Lane(lane);
                if (heap.Count == 0 || heap.Head.Time > (lane / _ports == Transmitter ? _sendLimitPs[lane % _ports] : limitPs)) continue;
                if (best >= 0 && !heap.Head.Key.Precedes(_scheduler.Lane(best).Head.Key)) continue;
                if (Settled(lane, heap.Head)) best = lane;
            }
            if (best < 0) break;
            _scheduler.RunLaneHead(best);
            ran++;
        }
        return ran;
    }

    /// <summary>
    /// Everything up to <paramref name="ps"/> has run: hops before it go to the node's log in
    /// event order, and learnings no lookup can need any more are forgotten now and then.
    /// </summary>
    public void Reached(long ps)
    {
        if (ps < 0) return;
        _bridge.Context.Telemetry.ReleaseHopsBefore(ps + 1);
        if (ps - _lastForgetPs > ForgetEveryPs)
        {
            _bridge.Fdb.ForgetBefore(ps);
            _lastForgetPs = ps;
        }
    }

    /// <summary>
    /// How far this bridge has taken in what <paramref name="peer"/> sends: the earliest of its
    /// links' next arrivals still to run (a forward waiting for an egress port counts as one)
    /// and their promises; −1 before anything. What a horizon granted to that peer rests on.
    /// </summary>
    public long ConsumedFrom(string peer)
    {
        long consumed = long.MaxValue;
        foreach (var link in _inboundByPort)
            if (link is not null && link.PeerPartition == peer)
            {
                int port = link.Destination.LocalIndex;
                long waiting = Math.Min(_scheduler.Lane(LaneOf(Arrivals, port, _ports)).NextTimePs, _scheduler.Lane(LaneOf(Forwards, port, _ports)).NextTimePs);
                consumed = Math.Min(consumed, Math.Min(link.PromisedPs, waiting) - 1);
            }
        return consumed == long.MaxValue ? _scheduler.NextTime.Picoseconds - 1 : consumed;
    }

    /// <summary>
    /// How long the frames <paramref name="channel"/> sends will come from addresses it has
    /// carried already, as a time of arrival at the far end: while every other port has brought
    /// only such addresses, until the first new one any of them may bring, one processing delay
    /// and the link's lookahead on. 0 when unknown.
    /// </summary>
    public long NoveltyBoundFor(RemoteLinkChannel channel)
    {
        int egress = channel.Source.LocalIndex;
        long bound = long.MaxValue;
        for (int k = 0; k < _ports; k++)
        {
            if (k == egress || _inboundByPort[k] is not { } link) continue;
            if (!link.SourceAddresses.IsSubsetOf(channel.SentSources)) return 0;
            bound = Math.Min(bound, SimTime.AddSaturating(link.NoveltyPromisedPs, _processingPs));
        }
        return SimTime.AddSaturating(bound, channel.Lookahead.Picoseconds);
    }

    private bool Settled(int lane, in ScheduledEvent head)
    {
        int port = lane % _ports;
        switch (lane / _ports)
        {
            case Arrivals: return head.Time < PromiseOf(port);
            case Transmitter: return EgressSettled(port, head.Key, lane);
        }
        if (!TryTargets(head, port, out ulong targets)) return false;
        for (int e = 0; e < _ports; e++)
            if ((targets & (1UL << e)) != 0 && (head.Time > _sendLimitPs[e] || !EgressSettled(e, head.Key, lane))) return false;
        return true;
    }

    /// <summary>Nothing that could enqueue on port <paramref name="egress"/> before <paramref name="key"/> is still to run, but in lane <paramref name="except"/>.</summary>
    private bool EgressSettled(int egress, in EventKey key, int except)
    {
        int transmitter = LaneOf(Transmitter, egress, _ports);
        if (except != transmitter && HoldsEarlier(transmitter, key)) return false;
        for (int k = 0; k < _ports; k++)
        {
            int forwards = LaneOf(Forwards, k, _ports);
            // A forward's own port brings nothing earlier: its link delivers in order, and no two frames at one instant.
            if (k == egress || except == forwards) continue;
            if (HoldsEarlier(forwards, key)) return false;
            // An arrival, pending or to come, is forwarded one processing delay later.
            long nextArrival = Math.Min(PromiseOf(k), _scheduler.Lane(LaneOf(Arrivals, k, _ports)).NextTimePs);
            if (key.Time >= SimTime.AddSaturating(nextArrival, _processingPs)) return false;
        }
        return true;
    }

    /// <summary>Does the lane hold an event before <paramref name="key"/>?</summary>
    private bool HoldsEarlier(int lane, in EventKey key)
    {
        var heap = _scheduler.Lane(lane);
        return heap.Count > 0 && heap.Head.Key.Precedes(key);
    }

    /// <summary>
    /// The ports a forward event may send to (a superset), once its lookup is settled; false
    /// while another ingress lane could still learn the destination before it.
    /// </summary>
    private bool TryTargets(in ScheduledEvent forward, int ingress, out ulong targets)
    {
        ulong others = (_ports == 64 ? ulong.MaxValue : (1UL << _ports) - 1) & ~(1UL << ingress);
        targets = others;
        var (_, vlan) = Bridge.DecisionOf(forward.Argument);
        var destination = MacAddress.Read(forward.Frame!.Bytes);
        var at = forward.Key;
        // The bridge's own lookup, as the forward will make it; -1 when it would flood.
        _bridge.Fdb.TryLookup(destination, vlan, at, out var staticPorts, out int answer);
        // Static entries never change, and group addresses are never learned.
        if (destination.IsGroup || staticPorts is not null) return true;
        // The forward's own port counts too: its arrivals run in a lane of their own.
        for (int j = 0; j < _ports; j++)
            if (answer != j && MayLearn(j, destination.Value, at)) return false;
        if (answer >= 0) targets = answer == ingress ? 0 : 1UL << answer;
        return true;
    }

    /// <summary>Could port <paramref name="port"/>'s arrivals still teach <paramref name="address"/> before <paramref name="at"/>?</summary>
    private bool MayLearn(int port, ulong address, in EventKey at)
    {
        // Only a lane whose earliest arrival is still before the lookup needs a look at the others.
        var arrivals = _scheduler.Lane(LaneOf(Arrivals, port, _ports));
        if (arrivals.Count > 0 && arrivals.Head.Key.Precedes(at))
            foreach (ref readonly var pending in arrivals.Pending)
                if (pending.Key.Precedes(at) && MacAddress.SourceOf(pending.Frame!.Bytes) == address) return true;
        if (_inboundByPort[port] is not { } link || at.Time < link.PromisedPs) return false;
        return link.SourceAddresses.Contains(address) || at.Time >= link.NoveltyPromisedPs;
    }

    private long PromiseOf(int port) => _inboundByPort[port]?.PromisedPs ?? long.MaxValue;
}
