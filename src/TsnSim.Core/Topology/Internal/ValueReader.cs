using System.Globalization;
using TsnSim.Core.Frames;
using TsnSim.Core.Time;

namespace TsnSim.Core.Topology.Internal;

/// <summary>
/// Reads typed values out of YAML nodes. Every method reports a diagnostic and returns null when
/// the value is unusable, so callers carry on and the file's other errors are found too.
/// </summary>
internal sealed class ValueReader(DiagnosticCollector diagnostics)
{
    public DiagnosticCollector Diagnostics { get; } = diagnostics;

    public MappingSourceNode? Mapping(SourceNode node, string field, string expectation)
    {
        if (node is MappingSourceNode mapping) return mapping;
        Diagnostics.Error(node, field, $"expected {expectation}, found {node.Description}");
        return null;
    }

    public SequenceSourceNode? Sequence(SourceNode node, string field, string expectation)
    {
        if (node is SequenceSourceNode sequence) return sequence;
        Diagnostics.Error(node, field, $"expected {expectation}, found {node.Description}");
        return null;
    }

    /// <summary>A non-empty scalar's text.</summary>
    public string? Text(SourceNode node, string field, string expectation)
    {
        if (node is ScalarSourceNode { IsNull: false } scalar) return scalar.Value;
        Diagnostics.Error(node, field, $"expected {expectation}, found {node.Description}");
        return null;
    }

    public long? Integer(SourceNode node, string field, long minimum, long maximum, string what)
    {
        var expectation = $"{what}, an integer from {minimum} to {maximum}";
        var text = Text(node, field, expectation);
        if (text is null) return null;
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            Diagnostics.Error(node, field, $"'{text}' is not an integer; expected {expectation}");
            return null;
        }
        if (value < minimum || value > maximum)
        {
            Diagnostics.Error(node, field, $"{value} is out of range; expected {expectation}");
            return null;
        }
        return value;
    }

    /// <summary>A finite decimal number within [<paramref name="minimum"/>, <paramref name="maximum"/>].</summary>
    public double? Number(SourceNode node, string field, double minimum, double maximum, string what)
    {
        var expectation = $"{what}, a number from {minimum.ToString(CultureInfo.InvariantCulture)} to {maximum.ToString(CultureInfo.InvariantCulture)}";
        var text = Text(node, field, expectation);
        if (text is null) return null;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            Diagnostics.Error(node, field, $"'{text}' is not a number; expected {expectation}");
            return null;
        }
        if (value < minimum || value > maximum)
        {
            Diagnostics.Error(node, field, $"{text} is out of range; expected {expectation}");
            return null;
        }
        return value;
    }

    public bool? Boolean(SourceNode node, string field)
    {
        const string expectation = "true or false";
        var text = Text(node, field, expectation);
        switch (text)
        {
            case null: return null;
            case "true" or "True" or "TRUE": return true;
            case "false" or "False" or "FALSE": return false;
            default:
                Diagnostics.Error(node, field, $"'{text}' is not a boolean; expected {expectation}");
                return null;
        }
    }

    /// <summary>A duration; zero is accepted only when <paramref name="allowZero"/>, negatives never.</summary>
    public SimTime? Duration(SourceNode node, string field, bool allowZero)
    {
        var bound = allowZero ? "zero or more" : "greater than zero";
        var expectation = $"a duration {bound} with a unit, such as 500ns, 1.5us, 10ms or 2s";
        var text = Text(node, field, expectation);
        if (text is null) return null;
        SimTime value;
        string error;
        bool parsed;
        try { parsed = SimTime.TryParse(text, out value, out error); }
        catch (OverflowException) { (parsed, value, error) = (false, default, $"'{text}' is too long; expected {expectation}"); }
        if (!parsed)
        {
            Diagnostics.Error(node, field, error);
            return null;
        }
        if (value < SimTime.Zero || (!allowZero && value == SimTime.Zero))
        {
            Diagnostics.Error(node, field, $"'{text}' is not {bound}; expected {expectation}");
            return null;
        }
        return value;
    }

    /// <summary>A positive rate, optionally within [<paramref name="minimum"/>, <paramref name="maximum"/>].</summary>
    public DataRate? Rate(SourceNode node, string field, DataRate? minimum = null, DataRate? maximum = null)
    {
        var expectation = minimum is { } low && maximum is { } high
            ? $"a rate from {low} to {high}, such as 100Mbps or 1Gbps"
            : "a rate greater than zero, such as 100Mbps or 1Gbps";
        var text = Text(node, field, expectation);
        if (text is null) return null;
        DataRate value;
        string error;
        bool parsed;
        // DataRate.TryParse multiplies in decimal, which throws rather than fails on absurd magnitudes.
        try { parsed = DataRate.TryParse(text, out value, out error); }
        catch (OverflowException) { (parsed, value, error) = (false, default, $"'{text}' is too large to be a rate; expected {expectation}"); }
        if (!parsed)
        {
            Diagnostics.Error(node, field, error);
            return null;
        }
        if ((minimum is { } min && value.BitsPerSecond < min.BitsPerSecond) || (maximum is { } max && value.BitsPerSecond > max.BitsPerSecond))
        {
            Diagnostics.Error(node, field, $"{value} is out of range; expected {expectation}");
            return null;
        }
        return value;
    }

    public MacAddress? Mac(SourceNode node, string field)
    {
        const string expectation = "a MAC address of six hex octets such as \"02:00:00:00:00:01\"";
        var text = Text(node, field, expectation);
        if (text is null) return null;
        if (MacAddress.TryParse(text, out var value)) return value;
        Diagnostics.Error(node, field, $"'{text}' is not a MAC address; expected {expectation}");
        return null;
    }

    /// <summary>A required field: reports its absence at the mapping that lacks it.</summary>
    public SourceNode? Required(MappingFields fields, string name, string expectation)
    {
        var node = fields[name];
        if (node is null)
            Diagnostics.Error(fields.Mapping, fields.PathOf(name), $"missing required field '{name}'; expected {expectation}");
        return node;
    }
}
