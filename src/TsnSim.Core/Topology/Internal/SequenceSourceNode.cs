namespace TsnSim.Core.Topology.Internal;

/// <summary>A YAML sequence (a list).</summary>
internal sealed class SequenceSourceNode(int line, int column, IReadOnlyList<SourceNode> items) : SourceNode(line, column)
{
    public IReadOnlyList<SourceNode> Items { get; } = items;

    public override string Description => "a list";
}
