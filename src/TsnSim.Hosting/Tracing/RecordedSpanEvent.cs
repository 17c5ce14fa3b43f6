namespace TsnSim.Hosting.Tracing;

/// <summary>A span event read back from a trace file.</summary>
public sealed record RecordedSpanEvent(string Name, IReadOnlyDictionary<string, string> Attributes)
{
    public string? this[string attribute] => Attributes.GetValueOrDefault(attribute);

    public long? Number(string attribute) => long.TryParse(this[attribute], out var value) ? value : null;
}
