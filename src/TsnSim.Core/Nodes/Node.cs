using TsnSim.Core.Engine;
using TsnSim.Core.Frames;
using TsnSim.Core.Links;
using TsnSim.Core.Time;
using TsnSim.Core.Topology;

namespace TsnSim.Core.Nodes;

/// <summary>A simulated host or bridge. It touches only its own state; other nodes reach it only by frames on links.</summary>
public abstract class Node
{
    protected Node(NodeConfig config, int index, int firstPortIndex, NodeContext context)
    {
        Config = config;
        Index = index;
        Context = context;
        var ports = new Port[config.Ports.Count];
        for (int i = 0; i < ports.Length; i++)
            ports[i] = new Port(this, config.Ports[i], i, firstPortIndex + i, context.Scheduler);
        Ports = ports;
        if (context.Ptp is { } plan)
            Ptp = plan.Config.Profile switch
            {
                Core.Ptp.PtpProfile.E2e when config.Kind == NodeKind.Switch => new Core.Ptp.E2e.TransparentClock(this, plan),
                Core.Ptp.PtpProfile.E2e => new Core.Ptp.E2e.OrdinaryClock(this, plan),
                _ => new Core.Ptp.GptpInstance(this, plan),
            };
    }

    /// <summary>The node's PTP stack, when the topology runs PTP: a gPTP time-aware system, or a 1588 ordinary or transparent clock.</summary>
    public Ptp.PtpStack? Ptp { get; }

    public NodeConfig Config { get; }
    public string Name => Config.Name;
    public int Index { get; }
    public NodeContext Context { get; }
    public IReadOnlyList<Port> Ports { get; }
    protected Scheduler Scheduler => Context.Scheduler;

    /// <summary>Schedules the node's first events. Called once, at time zero, before the run.</summary>
    public virtual void Start() => Ptp?.Start();

    /// <summary>
    /// Whether a frame that arrived on port <paramref name="ingress"/> can ever make this node
    /// transmit on port <paramref name="egress"/>. Distributed runs use it to promise more: a
    /// bridge never sends a frame back out of the port it came in by.
    /// </summary>
    public abstract bool CanForward(int ingress, int egress);

    /// <summary>
    /// False when nothing a node receives can ever make it transmit (a host today): then its
    /// arrivals and its own transmissions are independent, and a distributed run may let the
    /// transmissions run ahead of what has been received.
    /// </summary>
    public virtual bool ReceptionsCanTransmit => true;

    /// <summary>True when the NIC timestamps every received frame (an Rx completion carries it), not only PTP's.</summary>
    public virtual bool TimestampsEveryFrame => false;

    /// <summary>
    /// Hands a PTP frame this node consumes to its PTP stack: one to the link-local address
    /// 01-80-C2-00-00-0E (gPTP; bridges never forward it), or, when <paramref name="endToEnd"/>,
    /// one to the 1588 address 01-1B-19-00-00-00. True when the frame was such a frame, which
    /// the node then no longer owns.
    /// </summary>
    protected bool TakePtp(Port ingress, Frame frame, bool endToEnd)
    {
        var destination = MacAddress.Read(frame.Bytes);
        if (destination != Core.Ptp.Messages.PtpFrame.GptpDestination && !(endToEnd && destination == Core.Ptp.Messages.PtpFrame.E2eDestination)) return false;
        if (Ptp is { } ptp && Core.Ptp.Messages.PtpFrame.IsPtp(frame.Bytes)) ptp.Receive(ingress, frame);
        else ingress.Counters.IngressDrops++;
        Context.Pool.Return(frame);
        return true;
    }

    /// <summary>
    /// The Tx completion of a frame that asked for its egress timestamp (<see cref="Frame.WantsTxTimestamp"/>):
    /// the port calls it as the frame starts on the wire, with the timestamp on this node's clock.
    /// </summary>
    public virtual void OnTransmitted(Port egress, Frame frame, SimTime timestamp) => Ptp?.OnTransmitted(egress, frame, timestamp);

    /// <summary>A frame has fully arrived on <paramref name="ingress"/> at <paramref name="arrival"/>; the node now owns it.</summary>
    public abstract void Receive(Port ingress, Frame frame, SimTime arrival);
}
