using TsnSim.Core.Frames;
using TsnSim.Core.Links;
using TsnSim.Core.Time;
using TsnSim.Core.Topology;
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
    }

    public IReadOnlyList<StreamTalker> Talkers => _talkers;

    /// <summary>Frame ids carry the node index in their top bits so no two nodes ever hand out the same one.</summary>
    public long NextFrameId() => ((long)(Index + 1) << 40) | ++_frameCounter;

    public override void Start()
    {
        foreach (var talker in _talkers) talker.Start();
    }

    /// <summary>A host consumes what it receives; nothing it receives makes it send.</summary>
    public override bool CanForward(int ingress, int egress) => false;

    public override bool ReceptionsCanTransmit => false;

    public override void Receive(Port ingress, Frame frame, SimTime arrival)
    {
        var bytes = frame.Bytes;
        if (!EthernetHeader.TryParse(bytes, out var header)
            || (header.Destination != Config.Mac && !header.Destination.IsGroup)
            || header.EtherType != EtherTypes.LocalExperimental1
            || !StreamPayload.TryRead(bytes[header.Length..], out var payload)
            || (uint)payload.StreamIndex >= (uint)_listensTo.Length
            || !_listensTo[payload.StreamIndex])
        {
            ingress.Counters.IngressDrops++;
            Context.Pool.Return(frame);
            return;
        }
        var tally = Context.Telemetry.Stream(payload.StreamIndex);
        long latency = (arrival - payload.CreatedAt).Picoseconds;
        tally.Received++;
        tally.LatenciesPs.Add(latency);
        if (Context.Streams[payload.StreamIndex].Config.Deadline is { } deadline && latency > deadline.Picoseconds)
            tally.DeadlineMisses++;
        Context.Pool.Return(frame);
    }
}
