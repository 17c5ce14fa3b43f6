namespace TsnSim.Core.Topology.Internal;

/// <summary>
/// A node as read from the file. Kept even when the node has errors, so links and streams that
/// name it are still checked against it instead of failing with a misleading "unknown node".
/// </summary>
internal sealed record ParsedNode(string Name, SourceNode DeclaredAt, NodeKind? Kind, IReadOnlyList<ParsedPort> Ports, NodeConfig? Config)
{
    public bool HasPort(string port) => Ports.Any(p => p.Name == port);
}
