using TsnSim.Core.Telemetry;
using TsnSim.Core.Topology;

namespace TsnSim.Hosting;

/// <summary>
/// Puts hop records gathered from many processes into the order a single process logs them:
/// by arrival time, then by the link direction they came on (the event order's tie-break).
/// One direction never delivers two frames at the same instant, so the order is total and
/// the coordinator's frame log is the single-process one, byte for byte.
/// </summary>
public sealed class FrameLogOrder
{
    private readonly int[] _directionOfSendingPort;

    public FrameLogOrder(TopologyConfig topology)
    {
        var portIndex = new Dictionary<PortRef, int>();
        int next = 0;
        foreach (var node in topology.Nodes)
            foreach (var port in node.Ports) portIndex[new PortRef(node.Name, port.Name)] = next++;
        _directionOfSendingPort = new int[next];
        for (int i = 0; i < topology.Links.Count; i++)
        {
            _directionOfSendingPort[portIndex[topology.Links[i].A]] = 2 * i;
            _directionOfSendingPort[portIndex[topology.Links[i].B]] = 2 * i + 1;
        }
    }

    public IEnumerable<HopRecord> Sort(IEnumerable<HopRecord> hops) =>
        hops.OrderBy(h => h.ArrivalPs).ThenBy(h => _directionOfSendingPort[h.FromPort]);
}
