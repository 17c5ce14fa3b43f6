using System.Runtime.InteropServices;
using TsnSim.Core.Engine;
using TsnSim.Core.Frames;
using TsnSim.Core.Time;

namespace TsnSim.Core.Nodes;

/// <summary>
/// An 802.1Q bridge's filtering database: static entries from the topology, which always win,
/// and entries learned from source addresses, forgotten after the aging time.
///
/// A bridge whose ports run in lanes (see <c>Distributed.BridgeLanes</c>) learns and looks up
/// out of time order: then the database keeps each address's learnings by event key, and a
/// lookup sees exactly those that precede it, as the bridge would have in one event list.
/// </summary>
public sealed class FilteringDatabase(SimTime agingTime)
{
    private readonly Dictionary<ulong, int[]> _static = new();
    private readonly Dictionary<ulong, LearnedEntry> _learned = new();
    private Dictionary<ulong, List<Learning>>? _history;

    private struct LearnedEntry
    {
        public int Port;
        public long LastSeenPs;
    }

    private readonly record struct Learning(EventKey At, int Port);

    public SimTime AgingTime { get; } = agingTime;

    private static ulong Key(MacAddress mac, ushort vlan) => ((ulong)vlan << 48) | mac.Value;

    public void AddStatic(MacAddress mac, ushort vlan, int[] ports) => _static[Key(mac, vlan)] = ports;

    /// <summary>Keeps learnings by event key from now on, for lookups out of time order.</summary>
    public void KeepHistory() => _history ??= new();

    public void Learn(MacAddress source, ushort vlan, int port, in EventKey at)
    {
        if (_history is not null)
        {
            var list = CollectionsMarshal.GetValueRefOrAddDefault(_history, Key(source, vlan), out _) ??= [];
            int i = list.Count;
            while (i > 0 && at.Precedes(list[i - 1].At)) i--;
            list.Insert(i, new Learning(at, port));
            return;
        }
        ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_learned, Key(source, vlan), out _);
        entry.Port = port;
        entry.LastSeenPs = at.Time;
    }

    /// <summary>
    /// Where a frame to <paramref name="destination"/> goes at <paramref name="at"/>: a static
    /// entry's ports, or the port it was learned on; false when the bridge does not know and must flood.
    /// </summary>
    public bool TryLookup(MacAddress destination, ushort vlan, in EventKey at, out int[]? staticPorts, out int learnedPort)
    {
        var key = Key(destination, vlan);
        learnedPort = -1;
        if (_static.TryGetValue(key, out staticPorts)) return true;
        if (_history is not null)
        {
            learnedPort = LearnedPortAt(key, at);
            return learnedPort >= 0;
        }
        if (_learned.TryGetValue(key, out var entry))
        {
            if (at.Time - entry.LastSeenPs <= AgingTime.Picoseconds)
            {
                learnedPort = entry.Port;
                return true;
            }
            _learned.Remove(key);
        }
        return false;
    }

    /// <summary>With history: the port the last learning before <paramref name="at"/> names, if not aged out by then; −1 otherwise.</summary>
    private int LearnedPortAt(ulong key, in EventKey at)
    {
        if (_history is null || !_history.TryGetValue(key, out var list)) return -1;
        // The last learning that precedes the lookup: lists are in key order, and long when a lane runs ahead.
        int low = 0, high = list.Count;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (list[middle].At.Precedes(at)) low = middle + 1;
            else high = middle;
        }
        if (low == 0) return -1;
        var last = list[low - 1];
        return at.Time - last.At.Time <= AgingTime.Picoseconds ? last.Port : -1;
    }

    /// <summary>With history: forgets learnings no lookup can need, the last one before <paramref name="ps"/> kept per address.</summary>
    public void ForgetBefore(long ps)
    {
        if (_history is null) return;
        foreach (var list in _history.Values)
        {
            int older = 0;
            while (older < list.Count && list[older].At.Time < ps) older++;
            if (older > 1) list.RemoveRange(0, older - 1);
        }
    }
}
