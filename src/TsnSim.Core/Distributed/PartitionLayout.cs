using TsnSim.Core.Topology;

namespace TsnSim.Core.Distributed;

/// <summary>
/// Which process runs which nodes. A partition is named by its nodes joined with commas, in
/// topology order; by default every node is a partition of its own.
/// </summary>
public sealed class PartitionLayout
{
    private readonly Dictionary<string, string> _partitionOfNode;
    private readonly Dictionary<string, string[]> _nodesOfPartition;

    private PartitionLayout(TopologyConfig topology, IEnumerable<IReadOnlyCollection<string>> groups)
    {
        _partitionOfNode = new Dictionary<string, string>();
        _nodesOfPartition = new Dictionary<string, string[]>();
        var order = topology.Nodes.Select((n, i) => (n.Name, i)).ToDictionary(x => x.Name, x => x.i);
        foreach (var group in groups)
        {
            var nodes = group.OrderBy(n => order[n]).ToArray();
            var name = string.Join(',', nodes);
            _nodesOfPartition[name] = nodes;
            foreach (var node in nodes) _partitionOfNode[node] = name;
        }
        Partitions = _nodesOfPartition.Keys.OrderBy(p => order[_nodesOfPartition[p][0]]).ToArray();
    }

    /// <summary>Partition names, ordered by their first node's place in the topology.</summary>
    public IReadOnlyList<string> Partitions { get; }

    public string PartitionOf(string node) => _partitionOfNode[node];

    public IReadOnlyList<string> NodesOf(string partition) => _nodesOfPartition[partition];

    public static PartitionLayout OnePerNode(TopologyConfig topology) =>
        new(topology, topology.Nodes.Select(n => (IReadOnlyCollection<string>)[n.Name]));

    public static PartitionLayout Single(TopologyConfig topology) =>
        new(topology, [topology.Nodes.Select(n => n.Name).ToArray()]);

    /// <summary>
    /// The given groups, each a partition; every node not named runs alone. Throws
    /// <see cref="ArgumentException"/> naming an unknown or repeated node.
    /// </summary>
    public static PartitionLayout FromGroups(TopologyConfig topology, IEnumerable<IReadOnlyCollection<string>> groups)
    {
        var known = topology.Nodes.Select(n => n.Name).ToHashSet();
        var seen = new HashSet<string>();
        var all = new List<IReadOnlyCollection<string>>();
        foreach (var group in groups)
        {
            foreach (var node in group)
            {
                if (!known.Contains(node))
                    throw new ArgumentException($"node '{node}' is not in topology '{topology.Name}'; expected one of {string.Join(", ", known)}");
                if (!seen.Add(node))
                    throw new ArgumentException($"node '{node}' is placed in two partitions; each node runs in exactly one process");
            }
            if (group.Count > 0) all.Add(group);
        }
        all.AddRange(topology.Nodes.Where(n => !seen.Contains(n.Name)).Select(n => (IReadOnlyCollection<string>)[n.Name]));
        return new PartitionLayout(topology, all);
    }
}
