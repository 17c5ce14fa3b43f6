namespace TsnSim.Core.Nic;

/// <summary>
/// RSS's indirection table: a power-of-two number of entries, each an Rx queue, indexed by the
/// hash's low bits (NDIS: hash &amp; (size − 1)). By default entry i points to queue i mod the
/// number of queues, spreading hashes evenly.
/// </summary>
public sealed class RssIndirectionTable
{
    public const int DefaultSize = 128;

    private readonly int[] _entries;

    public RssIndirectionTable(IReadOnlyList<int> entries)
    {
        if (entries.Count == 0 || (entries.Count & (entries.Count - 1)) != 0)
            throw new ArgumentException($"an indirection table has a power of two entries, not {entries.Count}", nameof(entries));
        _entries = [.. entries];
    }

    /// <summary>The default table: <paramref name="size"/> entries, entry i → queue i mod <paramref name="queues"/>.</summary>
    public static RssIndirectionTable Spread(int size, int queues) => new(Enumerable.Range(0, size).Select(i => i % queues).ToArray());

    public IReadOnlyList<int> Entries => _entries;

    public int QueueOf(uint hash) => _entries[hash & (uint)(_entries.Length - 1)];
}
