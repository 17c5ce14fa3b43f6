using TsnSim.Core.Engine;
using TsnSim.Core.Frames;
using TsnSim.Core.Links;
using TsnSim.Core.Time;
using TsnSim.Core.Topology;
using TsnSim.Core.Tracing;

namespace TsnSim.Core.Nodes;

/// <summary>
/// An 802.1Q bridge (a topology's <c>switch</c>): classifies each frame into a VLAN (its tag, or
/// the ingress port's PVID), filters by VLAN membership, learns source addresses, and after the
/// processing delay forwards store-and-forward to the known port, the static entry's ports, or
/// floods to every other member port. Frames leave as they came (tags untouched).
/// </summary>
public sealed class Bridge : Node, IEventHandler
{
    private readonly FilteringDatabase _fdb;
    private readonly EventSource[] _forwardSources;

    public Bridge(NodeConfig config, int index, int firstPortIndex, NodeContext context)
        : base(config, index, firstPortIndex, context)
    {
        _fdb = new FilteringDatabase(config.FdbAgingTime);
        foreach (var entry in config.Fdb)
            _fdb.AddStatic(entry.Mac, entry.Vlan, entry.Ports.Select(config.PortIndex).ToArray());
        // One source per ingress port: frames from one port keep their order through processing.
        _forwardSources = Ports.Select(p => new EventSource(context.Scheduler, EventClass.Forward, p.GlobalIndex)).ToArray();
    }

    public FilteringDatabase Fdb => _fdb;

    /// <summary>A forward event's ingress port (local index) and VLAN, from its argument.</summary>
    public static (int Ingress, ushort Vlan) DecisionOf(long argument) => ((int)(argument >> 16), (ushort)(argument & 0xFFFF));

    /// <summary>
    /// A bridge never forwards a frame back out of its ingress port. A gPTP bridge does answer
    /// peer-delay requests there: the synchronizer accounts for those apart (reflect promises).
    /// A transparent clock answers nothing: it forwards Delay_Req like any frame.
    /// </summary>
    public override bool CanForward(int ingress, int egress) => ingress != egress;

    public override void Receive(Port ingress, Frame frame, SimTime arrival)
    {
        if (TakePtp(ingress, frame, endToEnd: false)) return;
        // A transparent clock forwards 1588 messages as data, correcting them on the way.
        if (Ptp is Core.Ptp.E2e.TransparentClock clock) clock.Admit(ingress, frame);
        if (!EthernetHeader.TryParse(frame.Bytes, out var header))
        {
            Drop(ingress, frame, arrival, "not an Ethernet frame");
            return;
        }
        ushort vlan = header.Tag is { Vid: not 0 } tag ? tag.Vid : ingress.Config.Pvid;
        if (!ingress.Config.IsMemberOf(vlan))
        {
            Drop(ingress, frame, arrival, "ingress port is not a member of the frame's VLAN");
            return;
        }
        if (!header.Source.IsGroup) _fdb.Learn(header.Source, vlan, ingress.LocalIndex, Scheduler.CurrentKey);
        long decision = ((long)ingress.LocalIndex << 16) | vlan;
        if (Config.ProcessingDelay.Picoseconds == 0)
            Forward(frame, decision);
        else
            _forwardSources[ingress.LocalIndex].Schedule(arrival + Config.ProcessingDelay, this, frame, decision);
    }

    public void OnEvent(in ScheduledEvent scheduled) => Forward(scheduled.Frame!, scheduled.Argument);

    private void Forward(Frame frame, long decision)
    {
        var (ingress, vlan) = DecisionOf(decision);
        var destination = MacAddress.Read(frame.Bytes);
        if (_fdb.TryLookup(destination, vlan, Scheduler.CurrentKey, out var staticPorts, out int learnedPort))
        {
            if (staticPorts is null)
            {
                // A frame whose destination sits behind its own ingress port is filtered, never reflected.
                if (learnedPort == ingress) Filter(frame, "destination is behind the ingress port");
                else Ports[learnedPort].Enqueue(frame);
                return;
            }
            Replicate(frame, ingress, vlan, staticPorts);
            return;
        }
        Replicate(frame, ingress, vlan, only: null);
    }

    /// <summary>
    /// Sends the frame out of every linked member port but the ingress, or only those in
    /// <paramref name="only"/> (a static entry); each port gets its own copy.
    /// </summary>
    private void Replicate(Frame frame, int ingress, ushort vlan, int[]? only)
    {
        Port? last = null;
        foreach (var port in Ports)
        {
            if (port.LocalIndex == ingress || port.Egress is null || !port.Config.IsMemberOf(vlan)) continue;
            if (only is not null && Array.IndexOf(only, port.LocalIndex) < 0) continue;
            if (last is not null) last.Enqueue(Context.Pool.Clone(frame));
            last = port;
        }
        if (last is null) Filter(frame, "no other member port to forward to");
        else last.Enqueue(frame);
    }

    private void Drop(Port ingress, Frame frame, SimTime at, string reason)
    {
        ingress.Counters.IngressDrops++;
        if (frame.Trace is { } trace) TraceHops.Dropped(this, frame, trace, at, reason);
        Context.Pool.Return(frame);
    }

    /// <summary>A frame the forwarding process decided to send nowhere: not a drop in the counters, but its trace ends here.</summary>
    private void Filter(Frame frame, string reason)
    {
        if (frame.Trace is { } trace) TraceHops.Dropped(this, frame, trace, Scheduler.Now, reason);
        Context.Pool.Return(frame);
    }
}
