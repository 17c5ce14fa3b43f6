using System.Runtime.InteropServices;
using TsnSim.Core.Frames;
using TsnSim.Core.Time;

namespace TsnSim.Core.Nodes;

/// <summary>
/// An 802.1Q bridge's filtering database: static entries from the topology, which always win,
/// and entries learned from source addresses, forgotten after the aging time.
/// </summary>
public sealed class FilteringDatabase(SimTime agingTime)
{
    private readonly Dictionary<ulong, int[]> _static = new();
    private readonly Dictionary<ulong, LearnedEntry> _learned = new();

    private struct LearnedEntry
    {
        public int Port;
        public long LastSeenPs;
    }

    public int LearnedCount => _learned.Count;

    private static ulong Key(MacAddress mac, ushort vlan) => ((ulong)vlan << 48) | mac.Value;

    public void AddStatic(MacAddress mac, ushort vlan, int[] ports) => _static[Key(mac, vlan)] = ports;

    public void Learn(MacAddress source, ushort vlan, int port, SimTime now)
    {
        ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_learned, Key(source, vlan), out _);
        entry.Port = port;
        entry.LastSeenPs = now.Picoseconds;
    }

    /// <summary>
    /// Where a frame to <paramref name="destination"/> goes: a static entry's ports, or the port it
    /// was learned on; false when the bridge does not know and must flood.
    /// </summary>
    public bool TryLookup(MacAddress destination, ushort vlan, SimTime now, out int[]? staticPorts, out int learnedPort)
    {
        var key = Key(destination, vlan);
        learnedPort = -1;
        if (_static.TryGetValue(key, out staticPorts)) return true;
        if (_learned.TryGetValue(key, out var entry))
        {
            if (now.Picoseconds - entry.LastSeenPs <= agingTime.Picoseconds)
            {
                learnedPort = entry.Port;
                return true;
            }
            _learned.Remove(key);
        }
        return false;
    }
}
