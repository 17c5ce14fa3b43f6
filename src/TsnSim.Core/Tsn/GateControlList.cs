using TsnSim.Core.Time;

namespace TsnSim.Core.Tsn;

/// <summary>
/// An 802.1Qbv gate control list with tc-taprio's semantics, on the node's clock: the cycle
/// starts at <see cref="BaseTime"/> and repeats every <see cref="CycleTime"/> (by default the
/// sum of the intervals; a longer cycle keeps the last entry's gates until it ends, a shorter
/// one cuts the entries off); before the schedule starts every gate is open.
/// </summary>
public sealed record GateControlList(SimTime BaseTime, SimTime CycleTime, IReadOnlyList<GateControlEntry> Entries)
{
    private readonly ushort _alwaysOpen = Entries.Aggregate((ushort)0xFFFF, (open, e) => (ushort)(open & e.Gates));

    /// <summary>Whether every entry opens the class's gate: it then never closes while this list runs.</summary>
    public bool AlwaysOpen(int trafficClass) => (_alwaysOpen & (1 << trafficClass)) != 0;

    /// <summary>All gates open: before the schedule starts, and on a port without one.</summary>
    public const ushort AllOpen = 0xFFFF;

    /// <summary>
    /// taprio's cycle-time-extension (802.1Q's OperCycleTimeExtension): when a new schedule takes
    /// over less than this after one of this list's cycles ends, that cycle stretches to meet it
    /// instead of leaving a short, cut-off cycle (0 by default: never).
    /// </summary>
    public SimTime CycleTimeExtension { get; init; }

    /// <summary>
    /// The gate states at clock time <paramref name="at"/> and when they next change (clock time).
    /// <paramref name="start"/> is when the list took effect (its base time, or for a base time
    /// in the past the first cycle boundary after it was installed).
    /// </summary>
    public (ushort Gates, long ChangePs) StateAt(long atPs, long startPs)
    {
        if (atPs < startPs) return (AllOpen, startPs);
        long cycle = CycleTime.Picoseconds;
        long cycleStart = startPs + (atPs - startPs) / cycle * cycle;
        long offset = atPs - cycleStart;
        long end = 0;
        for (int i = 0; i < Entries.Count; i++)
        {
            end += Entries[i].Interval.Picoseconds;
            bool last = i == Entries.Count - 1;
            // The last entry holds until the cycle ends, however long that is; a short cycle cuts entries off.
            if (offset < end || last) return (Entries[i].Gates, cycleStart + (last ? cycle : Math.Min(end, cycle)));
        }
        return (AllOpen, cycleStart + cycle);
    }

    /// <summary>
    /// When class <paramref name="trafficClass"/>'s gate, open at <paramref name="atPs"/>, next
    /// closes (clock time); <see cref="long.MaxValue"/> if it never does.
    /// </summary>
    public long CloseTimePs(int trafficClass, long atPs, long startPs)
    {
        // A class that every entry opens closes only if the cycle outruns the entries (it never does: the last entry holds).
        if ((_alwaysOpen & (1 << trafficClass)) != 0) return long.MaxValue;
        long t = atPs;
        // Walk entry by entry; one full cycle past the start of the walk, a gate that never closed never will.
        long limit = Math.Max(atPs, startPs) + 2 * CycleTime.Picoseconds;
        while (t <= limit)
        {
            var (gates, change) = StateAt(t, startPs);
            if ((gates & (1 << trafficClass)) == 0) return t;
            t = change;
        }
        return long.MaxValue;
    }

    /// <summary>Where a base time in the past starts, from the clock time it was installed: the first cycle boundary after it (taprio: base + (n + 1) × cycle).</summary>
    public long StartPs(long installedPs)
    {
        long b = BaseTime.Picoseconds, cycle = CycleTime.Picoseconds;
        if (b >= installedPs) return b;
        return b + ((installedPs - b) / cycle + 1) * cycle;
    }
}
