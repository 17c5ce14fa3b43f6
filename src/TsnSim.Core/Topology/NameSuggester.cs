namespace TsnSim.Core.Topology;

/// <summary>Finds the known name a misspelt one was most likely meant to be: a field of a topology file, a node named in a request.</summary>
public static class NameSuggester
{
    /// <summary>The closest candidate by edit distance, or null when none is close enough to be a plausible typo.</summary>
    public static string? Suggest(string misspelt, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            int distance = EditDistance(misspelt.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance) (best, bestDistance) = (candidate, distance);
        }
        // Beyond a third of the word the "suggestion" is just another word; two edits still catch transpositions.
        int tolerance = Math.Max(2, misspelt.Length / 3);
        return bestDistance <= tolerance ? best : null;
    }

    /// <summary>Levenshtein distance: insertions, deletions and substitutions each cost one.</summary>
    public static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
