namespace TsnSim.Hosting.Tracing;

/// <summary>A span read back from an OTLP/JSON trace file: ids, name, attributes (as text) and events.</summary>
public sealed record RecordedSpan(
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Name,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyList<RecordedSpanEvent> Events,
    string File,
    string? RunId)
{
    public string? this[string attribute] => Attributes.GetValueOrDefault(attribute);

    /// <summary>An attribute holding a whole number, or null.</summary>
    public long? Number(string attribute) => long.TryParse(this[attribute], out var value) ? value : null;
}
