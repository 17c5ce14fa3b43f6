namespace TsnSim.Core.Topology.Internal;

/// <summary>A YAML mapping, keeping duplicate keys and file order so both can be reported and preserved.</summary>
internal sealed class MappingSourceNode(int line, int column, IReadOnlyList<MappingEntry> entries) : SourceNode(line, column)
{
    public IReadOnlyList<MappingEntry> Entries { get; } = entries;

    public override string Description => "a mapping";
}
