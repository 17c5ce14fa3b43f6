namespace TsnSim.Core.Topology.Internal;

/// <summary>Formats the "expected one of ..." lists of messages.</summary>
internal static class NameList
{
    private const int MaximumShown = 20;

    /// <summary>Sorted so the list is easy to scan; long lists are cut so one message stays one line.</summary>
    public static string Format(IEnumerable<string> names)
    {
        var sorted = names.Distinct().Order(StringComparer.Ordinal).ToList();
        if (sorted.Count == 0) return "(none)";
        if (sorted.Count <= MaximumShown) return string.Join(", ", sorted);
        return string.Join(", ", sorted.Take(MaximumShown)) + $", and {sorted.Count - MaximumShown} more";
    }

    /// <summary>In the given order: for field lists, whose order follows the documentation.</summary>
    public static string FormatInOrder(IEnumerable<string> names) => string.Join(", ", names);
}
