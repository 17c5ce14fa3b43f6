namespace TsnSim.Core.Topology;

/// <summary>A node's port, written <c>node:port</c> in topology files.</summary>
public readonly record struct PortRef(string Node, string Port)
{
    public override string ToString() => $"{Node}:{Port}";
}
