using TsnSim.Core.Frames;
using TsnSim.Core.Links;
using TsnSim.Core.Time;
using TsnSim.Core.Topology;
using TsnSim.Core.Tracing;
using TsnSim.Core.Traffic;

namespace TsnSim.Core.Nodes;

/// <summary>
/// An end station: runs the talkers of the streams it sends and is the sink of the streams it
/// listens to. It takes frames addressed to its MAC or to a group, and counts the rest as drops.
/// </summary>
public sealed class Host : Node
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
    }

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
    public override bool CanForward(int ingress, int egress) => false;

    public override bool ReceptionsCanTransmit => Ptp is not null;

    /// <summary>A stream frame's Tx completion goes to its talker's figures; a PTP frame's to the PTP stack.</summary>
    public override void OnTransmitted(Port egress, Frame frame, SimTime timestamp)
    {
        if (frame.StreamIndex < 0 || (uint)frame.StreamIndex >= (uint)Context.Streams.Count)
        {
            base.OnTransmitted(egress, frame, timestamp);
            return;
        }
        Context.Telemetry.Stream(frame.StreamIndex).TxDelay.Record((timestamp - frame.HandedOverAt).Picoseconds);
    }

    public override void Receive(Port ingress, Frame frame, SimTime arrival)
    {
        if (TakePtp(ingress, frame, endToEnd: Ptp is Core.Ptp.E2e.OrdinaryClock)) return;
        var bytes = frame.Bytes;
        if (!EthernetHeader.TryParse(bytes, out var header)
            || (header.Destination != Config.Mac && !header.Destination.IsGroup)
            || header.EtherType != EtherTypes.LocalExperimental1
            || !StreamPayload.TryRead(bytes[header.Length..], out var payload)
            || !AcceptsStream(payload.StreamIndex))
        {
            ingress.Counters.IngressDrops++;
            if (frame.Trace is { } dropped) TraceHops.Dropped(this, frame, dropped, arrival, "not for this host: another destination, or a stream it does not listen to");
            Context.Pool.Return(frame);
            return;
        }
        var tally = Context.Telemetry.Stream(payload.StreamIndex);
        long latency = (arrival - payload.CreatedAt).Picoseconds;
        tally.Received++;
        tally.Latency.Record(latency);
        if (payload.StreamIndex < _listensTo.Length
            && Context.Streams[payload.StreamIndex].Config.Deadline is { } deadline && latency > deadline.Picoseconds)
            tally.DeadlineMisses++;
        if (frame.Trace is { } trace) TraceHops.Delivered(this, frame, trace, arrival, new SimTime(latency));
        Context.Deliveries?.OnDelivered(this, frame, new SimTime(latency));
        Context.Pool.Return(frame);
    }

    /// <summary>
    /// The topology's streams this host listens to, and any live stream: a live stream's frames
    /// reach whoever they are addressed to, and the MAC check has already passed.
    /// </summary>
    private bool AcceptsStream(int stream) =>
        (uint)stream < (uint)_listensTo.Length ? _listensTo[stream] : LiveStreamIndex.IsLive(stream);
}
