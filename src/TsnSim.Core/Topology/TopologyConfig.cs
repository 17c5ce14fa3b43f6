using TsnSim.Core.Time;

namespace TsnSim.Core.Topology;

/// <summary>
/// A validated topology: what a topology file describes, with every default applied and every
/// reference checked. Immutable; node, link and stream order is the file's order, which fixes
/// the global indices the scheduler breaks ties with.
/// </summary>
public sealed record TopologyConfig(
    string Name,
    ulong Seed,
    SimTime? Duration,
    IReadOnlyList<NodeConfig> Nodes,
    IReadOnlyList<LinkConfig> Links,
    IReadOnlyList<StreamConfig> Streams)
{
    /// <summary>Source file the topology came from, for messages; empty when built in code.</summary>
    public string SourceName { get; init; } = "";

    /// <summary>How long after the duration frames already sent may still arrive and count.</summary>
    public SimTime Drain { get; init; } = SimTime.FromMilliseconds(100);

    /// <summary>The <c>ptp:</c> section: when present, every node runs gPTP; null without one.</summary>
    public TsnSim.Core.Ptp.PtpConfig? Ptp { get; init; }

    /// <summary>Every port's <c>node:port</c> name, by its global index (nodes in file order, their ports in order): how logs, traces and metrics name ports.</summary>
    public string[] PortNames() => Nodes.SelectMany(n => n.Ports.Select(p => $"{n.Name}:{p.Name}")).ToArray();

    public NodeConfig Node(string name) => Nodes.First(n => n.Name == name);
}
