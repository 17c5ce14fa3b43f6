using TsnSim.Core.Frames;
using TsnSim.Core.Links;
using TsnSim.Core.Nic;
using TsnSim.Core.Time;
using TsnSim.Core.Topology;
using TsnSim.Core.Tracing;
using TsnSim.Core.Traffic;

namespace TsnSim.Core.Nodes;

/// <summary>
/// An end station: runs the talkers of the streams it sends and is the sink of the streams it
/// listens to. It takes frames addressed to its MAC or to a group, and counts the rest as drops.
/// </summary>
public sealed class Host : Node, IPacketConsumer, Engine.IEventHandler
{
    private readonly List<StreamTalker> _talkers = [];
    private readonly bool[] _listensTo;
    private long _frameCounter;

    public Host(NodeConfig config, int index, int firstPortIndex, NodeContext context)
        : base(config, index, firstPortIndex, context)
    {
        _listensTo = new bool[context.Streams.Count];
        foreach (var plan in context.Streams)
        {
            if (plan.Config.Listeners.Contains(Name)) _listensTo[plan.Index] = true;
            if (plan.Config.Talker != Name) continue;
            int port = plan.Config.TalkerPort is { } named ? config.PortIndex(named) : 0;
            _talkers.Add(new StreamTalker(this, Ports[port], plan));
        }
        Live = new LiveTraffic(this);
        if (config.Nic is { } nic)
        {
            Cpu = new HostCpu(nic.Cores);
            Power = new HostPower();
            _nics = Ports.Select(p => new MultiQueueNic(p, nic, Cpu, Power, this, context.Scheduler)).ToArray();
            _powerEvents = new Engine.EventSource(context.Scheduler, Engine.EventClass.PowerState, index);
            // Accepted before any client's change can be, live or replayed: at one instant the client's comes after.
            foreach (var change in nic.PowerChanges) AcceptPowerChange(change.At, change.State);
        }
    }

    private readonly Engine.EventSource? _powerEvents;
    private readonly List<PowerState> _pendingPower = [];
    private long _replyCounter;

    /// <summary>The host's power state, when it has a NIC; null otherwise (always working).</summary>
    public HostPower? Power { get; }

    /// <summary>Frames the host's NIC or stack sends in answer (ARP, NS) count apart from its streams' (bit 38), so answers never shift their ids.</summary>
    public long ReplyFrameId() => ((long)(Index + 1) << 40) | (1L << 38) | ++_replyCounter;

    /// <summary>Takes the host to <paramref name="state"/> at <paramref name="at"/> (the topology's power changes, or the traffic API's SetPowerState).</summary>
    public void AcceptPowerChange(SimTime at, PowerState state)
    {
        if (_powerEvents is null) throw new InvalidOperationException($"host {Name} has no NIC to keep its power state");
        _pendingPower.Add(state);
        _powerEvents.Schedule(at, this, argument: _pendingPower.Count - 1);
    }

    void Engine.IEventHandler.OnEvent(in Engine.ScheduledEvent scheduled) => Power!.State = _pendingPower[(int)scheduled.Argument];

    private readonly MultiQueueNic[]? _nics;

    /// <summary>The multi-queue NIC of port <paramref name="port"/>, when the host has one.</summary>
    public MultiQueueNic? NicOf(int port) => _nics?[port];

    /// <summary>The cores that serve the NICs' queues, when the host has NICs.</summary>
    public HostCpu? Cpu { get; }

    /// <summary>A host with a multi-queue NIC timestamps every frame it receives: the timestamp goes on the Rx completion.</summary>
    public override bool TimestampsEveryFrame => _nics is not null;


    public IReadOnlyList<StreamTalker> Talkers => _talkers;

    /// <summary>What clients inject into this host while the run goes on.</summary>
    public LiveTraffic Live { get; }

    /// <summary>Frame ids carry the node index in their top bits so no two nodes ever hand out the same one.</summary>
    public long NextFrameId() => ((long)(Index + 1) << 40) | ++_frameCounter;

    /// <summary>Injected frames count apart from the host's own (bit 39 set), so injections never shift the ids of its streams.</summary>
    public long InjectedFrameId(long ordinal) => ((long)(Index + 1) << 40) | (1L << 39) | ordinal;

    public override void Start()
    {
        base.Start();
        foreach (var talker in _talkers) talker.Start();
    }

    /// <summary>
    /// A host consumes what it receives and forwards nothing. Under gPTP it answers peer-delay
    /// requests on the port they came in by, and as a 1588 master Delay_Req: the synchronizer
    /// accounts for those apart (reflect promises).
    /// </summary>
    /// <remarks>A host with a NIC answers ARP and NS on the port they came in by, as its NIC or its stack.</remarks>
    public override bool CanForward(int ingress, int egress) => _nics is not null && ingress == egress;

    /// <summary>A host answers what it receives under PTP, and with a NIC (ARP, NS; and its power state, which its applications read, changes with what arrives).</summary>
    public override bool ReceptionsCanTransmit => Ptp is not null || _nics is not null;

    /// <summary>A stream frame's Tx completion goes to its talker's figures; a PTP frame's to the PTP stack.</summary>
    public override void OnTransmitted(Port egress, Frame frame, SimTime timestamp)
    {
        if (frame.StreamIndex < 0 || (uint)frame.StreamIndex >= (uint)Context.Streams.Count)
        {
            base.OnTransmitted(egress, frame, timestamp);
            return;
        }
        OnTxTimestamp(frame.StreamIndex, frame.HandedOverAt, timestamp);
    }

    /// <summary>A stream frame's Tx timestamp reaches its application with the NIC's Tx completion, when the host has reclaimed it.</summary>
    public void OnTxTimestamp(int stream, SimTime handedOverAt, SimTime timestamp) =>
        Context.Telemetry.Stream(stream).TxDelay.Record((timestamp - handedOverAt).Picoseconds);

    public override void Receive(Port ingress, Frame frame, SimTime arrival)
    {
        if (TakePtp(ingress, frame, endToEnd: Ptp is Core.Ptp.E2e.OrdinaryClock)) return;
        // The NIC's address filter: what is not for this host never reaches a queue.
        var destination = MacAddress.Read(frame.Bytes);
        if (destination != Config.Mac && !destination.IsGroup)
        {
            NotForThisHost(ingress, frame, arrival);
            return;
        }
        if (_nics is { } nics) nics[ingress.LocalIndex].Receive(frame, arrival);
        else Consume(ingress, frame, arrival);
    }

    /// <summary>
    /// The host stack takes a packet: a stream frame, its 32-byte payload right after the Ethernet
    /// header (EtherType 0x88B5) or after its IP and TCP or UDP headers, of a stream it listens to.
    /// Latency runs to now: for a host with a multi-queue NIC, when its core has served it.
    /// </summary>
    public void Consume(Port ingress, Frame frame, SimTime at)
    {
        // The host stack's own minimal ARP and ND responder.
        if (_nics?[ingress.LocalIndex] is { } nic && nic.Answer(frame, offloaded: false)) return;
        if (!StreamPayloadOf(frame.Bytes, out var payload) || !AcceptsStream(payload.StreamIndex))
        {
            NotForThisHost(ingress, frame, at);
            return;
        }
        var tally = Context.Telemetry.Stream(payload.StreamIndex);
        long latency = (at - payload.CreatedAt).Picoseconds;
        tally.Received++;
        tally.Latency.Record(latency);
        if (payload.StreamIndex < _listensTo.Length
            && Context.Streams[payload.StreamIndex].Config.Deadline is { } deadline && latency > deadline.Picoseconds)
            tally.DeadlineMisses++;
        if (frame.Trace is { } trace) TraceHops.Delivered(this, frame, trace, at, new SimTime(latency));
        Context.Deliveries?.OnDelivered(this, frame, new SimTime(latency));
        Context.Pool.Return(frame);
    }

    private static bool StreamPayloadOf(ReadOnlySpan<byte> bytes, out StreamPayload payload)
    {
        payload = default;
        if (!EthernetHeader.TryParse(bytes, out var header)) return false;
        if (header.EtherType == EtherTypes.LocalExperimental1) return StreamPayload.TryRead(bytes[header.Length..], out payload);
        if (header.EtherType is not (EtherTypes.Ipv4 or EtherTypes.Ipv6)) return false;
        var headers = PacketParser.Parse(bytes);
        return headers.PayloadOffset >= 0 && StreamPayload.TryRead(bytes[headers.PayloadOffset..headers.IpEnd], out payload);
    }

    private void NotForThisHost(Port ingress, Frame frame, SimTime at)
    {
        ingress.Counters.IngressDrops++;
        if (frame.Trace is { } dropped) TraceHops.Dropped(this, frame, dropped, at, "not for this host: another destination, or a stream it does not listen to");
        Context.Pool.Return(frame);
    }

    /// <summary>
    /// The topology's streams this host listens to, and any live stream: a live stream's frames
    /// reach whoever they are addressed to, and the MAC check has already passed.
    /// </summary>
    private bool AcceptsStream(int stream) =>
        (uint)stream < (uint)_listensTo.Length ? _listensTo[stream] : LiveStreamIndex.IsLive(stream);
}
