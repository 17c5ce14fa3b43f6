namespace TsnSim.Core.Topology.Internal;

/// <summary>One key and its value in a mapping, both with their positions.</summary>
internal sealed record MappingEntry(SourceNode Key, SourceNode Value)
{
    /// <summary>The key's text; a non-scalar key (legal YAML, never a valid field) reads as empty.</summary>
    public string Name => Key is ScalarSourceNode scalar ? scalar.Value : "";
}
