namespace TsnSim.Core.Tsn;

/// <summary>
/// One stretch of a port's gate timeline, on the node's clock: from <see cref="FromPs"/> to
/// <see cref="ToPs"/> the port runs <see cref="List"/> (null: no schedule, every gate open),
/// whose cycles start at <see cref="StartPs"/>. When a new schedule cut it short at
/// <see cref="ToPs"/> within the list's cycle-time-extension of a cycle boundary,
/// <see cref="ExtendedFromPs"/> is that boundary: the cycle before it stretches to
/// <see cref="ToPs"/>, its last gate states held (otherwise −1).
/// </summary>
internal readonly record struct GateSchedulePhase(GateControlList? List, long StartPs, long FromPs, long ToPs, long ExtendedFromPs)
{
    /// <summary>The gates at clock time <paramref name="atPs"/> (within the phase) and when they next change.</summary>
    public (ushort Gates, long ChangePs) StateAt(long atPs)
    {
        if (List is null) return (GateControlList.AllOpen, ToPs);
        if (atPs < StartPs) return (GateControlList.AllOpen, Math.Min(StartPs, ToPs));
        if (ExtendedFromPs >= 0 && atPs >= ExtendedFromPs) return (List.StateAt(ExtendedFromPs - 1, StartPs).Gates, ToPs);
        var (gates, change) = List.StateAt(atPs, StartPs);
        // The gates that end the stretched cycle hold on until the new schedule begins.
        if (change == ExtendedFromPs) change = ToPs;
        return (gates, Math.Min(change, ToPs));
    }

    /// <summary>
    /// This phase cut short at <paramref name="changePs"/>, where a new schedule begins
    /// (802.1Q-2018 Q.5): when the last whole cycle before it would end less than the
    /// cycle-time-extension earlier, that cycle is extended to end there; otherwise the cycle
    /// under way is truncated there. Only a cycle still running when the new schedule is
    /// installed (at <paramref name="installedPs"/>) can stretch: one already ended has been run.
    /// </summary>
    public GateSchedulePhase EndingAt(long changePs, long installedPs)
    {
        if (List is null || changePs <= StartPs) return this with { ToPs = changePs, ExtendedFromPs = -1 };
        long cycle = List.CycleTime.Picoseconds;
        long boundary = StartPs + (changePs - StartPs) / cycle * cycle;
        long gap = changePs - boundary;
        bool extend = gap > 0 && gap < List.CycleTimeExtension.Picoseconds && boundary > StartPs && boundary > installedPs;
        return this with { ToPs = changePs, ExtendedFromPs = extend ? boundary : -1 };
    }
}
