namespace TsnSim.Core.Topology.Internal;

/// <summary>
/// A YAML node with the position it started at. The loader keeps its own small tree instead of
/// YamlDotNet's representation model because that model throws at the first duplicate key,
/// and a duplicate node name is exactly what we must report (with both positions) and go on.
/// </summary>
internal abstract class SourceNode(int line, int column)
{
    /// <summary>1-based line where the node starts.</summary>
    public int Line { get; } = line;

    /// <summary>1-based column where the node starts.</summary>
    public int Column { get; } = column;

    /// <summary>How the node reads in a "found ..." clause of a message.</summary>
    public abstract string Description { get; }

    public string Position => $"line {Line}, column {Column}";
}
