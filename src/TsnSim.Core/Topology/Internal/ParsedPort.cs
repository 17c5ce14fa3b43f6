namespace TsnSim.Core.Topology.Internal;

/// <summary>A port as read from the file, with where it was declared (for the unlinked-port warning).</summary>
internal sealed record ParsedPort(string Name, SourceNode DeclaredAt, string Field);
