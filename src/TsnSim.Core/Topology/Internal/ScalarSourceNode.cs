namespace TsnSim.Core.Topology.Internal;

/// <summary>A YAML scalar: its text, and whether it was written plain (unquoted).</summary>
internal sealed class ScalarSourceNode(int line, int column, string value, bool isPlain) : SourceNode(line, column)
{
    public string Value { get; } = value;

    /// <summary>Unquoted; only plain scalars can mean null, so <c>"~"</c> stays a string.</summary>
    public bool IsPlain { get; } = isPlain;

    /// <summary>The YAML 1.2 core schema nulls: an empty plain scalar, <c>~</c> and <c>null</c>.</summary>
    public bool IsNull => IsPlain && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string Description => IsNull ? "an empty value" : $"'{Value}'";
}
