using TsnSim.Core.Frames;
using TsnSim.Core.Time;

namespace TsnSim.Core.Topology;

/// <summary>
/// The reference chain: host h0, bridges s1…s(N-2), host h(N-1), joined by identical links; h0
/// sends <c>frames</c> frames of <c>size</c> bytes back to back at line rate to the last host.
/// The same workload as the ns-3 reference, for side-by-side speed.
/// </summary>
public static class ChainTopology
{
    public static TopologyConfig Create(int nodes, long frames, int size, DataRate rate, SimTime delay, SimTime processing)
    {
        if (nodes < 2) throw new ArgumentOutOfRangeException(nameof(nodes), "a chain needs at least 2 nodes");
        var nodeConfigs = new List<NodeConfig>();
        for (int i = 0; i < nodes; i++)
        {
            bool host = i == 0 || i == nodes - 1;
            string name = host ? $"h{i}" : $"s{i}";
            var ports = Enumerable.Range(0, host ? 1 : 2)
                .Select(p => new PortConfig($"eth{p}", PortConfig.DefaultQueueCapacity, PortConfig.DefaultPvid, null)).ToArray();
            nodeConfigs.Add(new NodeConfig(name, host ? NodeKind.Host : NodeKind.Switch, ports, new MacAddress(0x0200_0000_0000UL + (ulong)i + 1))
            {
                ProcessingDelay = processing,
            });
        }
        var links = new List<LinkConfig>();
        for (int i = 0; i + 1 < nodes; i++)
        {
            string left = nodeConfigs[i].Name, right = nodeConfigs[i + 1].Name;
            links.Add(new LinkConfig(new PortRef(left, i == 0 ? "eth0" : "eth1"), new PortRef(right, "eth0"), rate, delay));
        }
        var period = Ethernet.WireTime(size, rate);
        var stream = new StreamConfig("chain", nodeConfigs[0].Name, [nodeConfigs[^1].Name], period, size) { Count = frames };
        // Long enough for the last frame to be sent; the drain lets it cross the chain.
        var duration = period * frames + SimTime.FromNanoseconds(1);
        return new TopologyConfig($"chain-{nodes}", 1, duration, nodeConfigs, links, [stream]);
    }
}
