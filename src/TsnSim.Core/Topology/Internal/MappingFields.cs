namespace TsnSim.Core.Topology.Internal;

/// <summary>
/// The fields of one YAML mapping checked against the fields it may hold: reports unknown
/// fields (with a did-you-mean) and repeated ones, then hands out the values by name.
/// </summary>
internal sealed class MappingFields
{
    private readonly Dictionary<string, MappingEntry> _entries = new(StringComparer.Ordinal);

    private MappingFields(MappingSourceNode mapping, string path)
    {
        Mapping = mapping;
        Path = path;
    }

    public MappingSourceNode Mapping { get; }

    /// <summary>Field path of the mapping itself; empty at the top level.</summary>
    public string Path { get; }

    public static MappingFields Check(MappingSourceNode mapping, string path, IReadOnlyList<string> expected, DiagnosticCollector diagnostics)
    {
        var fields = new MappingFields(mapping, path);
        foreach (var entry in mapping.Entries)
        {
            var name = entry.Name;
            if (entry.Key is not ScalarSourceNode)
            {
                diagnostics.Error(entry.Key, path, $"a field name must be a plain word, found {entry.Key.Description}; expected one of {NameList.FormatInOrder(expected)}");
                continue;
            }
            if (!expected.Contains(name))
            {
                var suggestion = NameSuggester.Suggest(name, expected);
                var didYouMean = suggestion is null ? "" : $" did you mean '{suggestion}'?";
                diagnostics.Error(entry.Key, path.Length == 0 ? name : path,
                    $"unknown field '{name}';{didYouMean} expected one of {NameList.FormatInOrder(expected)}");
                continue;
            }
            if (fields._entries.TryGetValue(name, out var first))
            {
                diagnostics.Error(entry.Key, fields.PathOf(name), $"field '{name}' is given twice; the first is at {first.Key.Position} and only one is allowed");
                continue;
            }
            fields._entries.Add(name, entry);
        }
        return fields;
    }

    /// <summary>The value of <paramref name="name"/>, or null when the mapping does not have it.</summary>
    public SourceNode? this[string name] => _entries.TryGetValue(name, out var entry) ? entry.Value : null;

    public bool Has(string name) => _entries.ContainsKey(name);

    public MappingEntry? Entry(string name) => _entries.GetValueOrDefault(name);

    public string PathOf(string name) => Path.Length == 0 ? name : $"{Path}.{name}";
}
