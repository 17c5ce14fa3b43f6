using TsnSim.Core.Frames;
using TsnSim.Core.Time;

namespace TsnSim.Core.Tsn;

/// <summary>
/// What makes a gate control list unfit for a port, in the words both the topology reader and
/// the traffic API's gate-schedule setter report (each adds where).
/// </summary>
public static class GateScheduleRules
{
    /// <summary>The longest cycle a port takes: far beyond any real schedule, and far from the clock's range, which the gate arithmetic doubles.</summary>
    public static readonly SimTime MaximumCycle = SimTime.FromSeconds(3600);

    /// <summary>More entries than the port accepts, or a gate mask naming a class the port lacks.</summary>
    public static List<string> StructureProblems(GateControlList schedule, int numTc, int maxEntries)
    {
        var problems = new List<string>();
        if (schedule.Entries.Count > maxEntries)
            problems.Add($"the gate control list has {schedule.Entries.Count} entries; this port accepts at most {maxEntries} (max_entries)");
        for (int i = 0; i < schedule.Entries.Count; i++)
            if (schedule.Entries[i].Gates >> numTc != 0)
                problems.Add($"gate entry {i} (mask 0x{schedule.Entries[i].Gates:x2}) opens traffic class {15 - ushort.LeadingZeroCount(schedule.Entries[i].Gates)}, but there are only {numTc} (0 … {numTc - 1})");
        return problems;
    }

    /// <summary>Entries shorter than a minimum frame's time at the port's rate: no frame could ever use them.</summary>
    public static List<string> EntryLengthProblems(GateControlList schedule, DataRate rate)
    {
        var problems = new List<string>();
        var minimum = Ethernet.WireTime(Ethernet.MinFrameBytes, rate);
        for (int e = 0; e < schedule.Entries.Count; e++)
            if (schedule.Entries[e].Interval < minimum)
                problems.Add($"gate entry {e} lasts {schedule.Entries[e].Interval}, shorter than a minimum frame's {minimum} at {rate} (64 bytes with preamble and gap); no frame could use it");
        // As taprio refuses it: a cycle that cannot hold one minimum frame per entry cuts its entries off unused.
        var least = minimum * schedule.Entries.Count;
        if (schedule.CycleTime < least)
            problems.Add($"the cycle lasts {schedule.CycleTime}, shorter than one minimum frame per entry ({schedule.Entries.Count} × {minimum} = {least}); expected a cycle time of at least that");
        if (schedule.CycleTime > MaximumCycle)
            problems.Add($"the cycle lasts {schedule.CycleTime}; expected at most {MaximumCycle}");
        return problems;
    }
}
