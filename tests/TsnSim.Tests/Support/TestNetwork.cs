using TsnSim.Core.Frames;
using TsnSim.Core.Time;
using TsnSim.Core.Topology;

namespace TsnSim.Tests.Support;

/// <summary>Builds small topologies in code, for tests that pin one behaviour down with the fewest nodes.</summary>
public sealed class TestNetwork
{
    private readonly List<NodeConfig> _nodes = [];
    private readonly List<LinkConfig> _links = [];
    private readonly List<StreamConfig> _streams = [];

    public TestNetwork Host(string name, int ports = 1) => Add(name, NodeKind.Host, ports, SimTime.Zero);

    public TestNetwork Switch(string name, int ports, SimTime processing) => Add(name, NodeKind.Switch, ports, processing);

    public TestNetwork Link(string a, string b, DataRate rate, SimTime delay)
    {
        var (na, pa) = Split(a);
        var (nb, pb) = Split(b);
        _links.Add(new LinkConfig(new PortRef(na, pa), new PortRef(nb, pb), rate, delay));
        return this;
    }

    public TestNetwork Stream(StreamConfig stream)
    {
        _streams.Add(stream);
        return this;
    }

    public TopologyConfig Build(SimTime duration, ulong seed = 1) =>
        new("test", seed, duration, _nodes.ToArray(), _links.ToArray(), _streams.ToArray());

    public MacAddress MacOf(string node) => _nodes.Single(n => n.Name == node).Mac;

    private TestNetwork Add(string name, NodeKind kind, int ports, SimTime processing)
    {
        var portConfigs = Enumerable.Range(0, ports)
            .Select(i => new PortConfig($"eth{i}", PortConfig.DefaultQueueCapacity, PortConfig.DefaultPvid, null)).ToArray();
        _nodes.Add(new NodeConfig(name, kind, portConfigs, new MacAddress(0x0200_0000_0000UL + (ulong)_nodes.Count + 1))
        {
            ProcessingDelay = processing,
        });
        return this;
    }

    private static (string Node, string Port) Split(string endpoint)
    {
        var parts = endpoint.Split(':');
        return (parts[0], parts[1]);
    }
}
