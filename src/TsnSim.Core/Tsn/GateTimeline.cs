namespace TsnSim.Core.Tsn;

/// <summary>
/// The gate schedules of one port over time, on the node's clock: the operating list (802.1Qbv's
/// oper) and each list installed later (admin), which takes over at its config-change time —
/// its base time, or for a base time already past when it is installed, the first of its own
/// cycle boundaries after that (taprio's rule). Installing a list while another still waits to
/// take over replaces the waiting one, as taprio keeps a single admin schedule.
/// </summary>
public sealed class GateTimeline
{
    private readonly List<GateSchedulePhase> _phases = [];

    /// <param name="initial">The schedule from the start (null: none, every gate open).</param>
    /// <param name="installedPs">The node's clock when the port came up.</param>
    public GateTimeline(GateControlList? initial, long installedPs)
    {
        _phases.Add(new GateSchedulePhase(initial, initial?.StartPs(installedPs) ?? 0, long.MinValue, long.MaxValue, -1));
        HasGates = initial is not null;
    }

    /// <summary>Whether any schedule was ever given: without one every gate is always open.</summary>
    public bool HasGates { get; private set; }

    /// <summary>Installs <paramref name="admin"/> at clock time <paramref name="installedPs"/>; returns the clock time at which it takes over.</summary>
    public long Install(GateControlList admin, long installedPs)
    {
        long change = admin.StartPs(installedPs);
        int current = IndexAt(installedPs);
        _phases.RemoveRange(current + 1, _phases.Count - current - 1);
        var running = _phases[current];
        if (running.ExtendedFromPs >= 0 && running.ExtendedFromPs <= installedPs)
        {
            // The port is already holding a stretched cycle's last gates for the schedule this one replaces. What has
            // run stays as it ran: the hold ends here, and the running list goes on in its own cycle until the new change.
            _phases[current] = running with { ToPs = installedPs };
            _phases.Add(new GateSchedulePhase(running.List, running.StartPs, installedPs, long.MaxValue, -1).EndingAt(change, installedPs));
        }
        else _phases[current] = running.EndingAt(change, installedPs);
        _phases.Add(new GateSchedulePhase(admin, change, change, long.MaxValue, -1));
        HasGates = true;
        return change;
    }

    /// <summary>The gate states at clock time <paramref name="atPs"/> and the clock time they next change (<see cref="long.MaxValue"/>: never).</summary>
    public (ushort Gates, long ChangePs) StateAt(long atPs) => _phases[IndexAt(atPs)].StateAt(atPs);

    /// <summary>
    /// When class <paramref name="trafficClass"/>'s gate, open at <paramref name="atPs"/>, next
    /// closes, if it does by <paramref name="horizonPs"/>; otherwise <see cref="long.MaxValue"/>.
    /// </summary>
    public long CloseTimePs(int trafficClass, long atPs, long horizonPs)
    {
        if (_phases.Count == 1)
        {
            var only = _phases[0];
            return only.List is null ? long.MaxValue : only.List.CloseTimePs(trafficClass, atPs, only.StartPs);
        }
        for (long t = atPs; t <= horizonPs;)
        {
            var (gates, change) = StateAt(t);
            if ((gates & (1 << trafficClass)) == 0) return t;
            if (change == long.MaxValue) return long.MaxValue;
            t = change;
        }
        return long.MaxValue;
    }

    /// <summary>Whether class <paramref name="trafficClass"/>'s gate can ever be closed: false without a schedule, or when the only one opens it in every entry.</summary>
    public bool MayClose(int trafficClass) =>
        _phases.Count > 1 || (_phases[0].List is { } list && !list.AlwaysOpen(trafficClass));

    /// <summary>How long, between clock times <paramref name="fromPs"/> and <paramref name="toPs"/>, class <paramref name="trafficClass"/>'s gate was closed.</summary>
    public long ClosedPs(int trafficClass, long fromPs, long toPs)
    {
        if (!MayClose(trafficClass)) return 0;
        long closed = 0;
        for (long t = fromPs; t < toPs;)
        {
            var (gates, change) = StateAt(t);
            long end = Math.Min(change, toPs);
            if (end <= t) break;
            if ((gates & (1 << trafficClass)) == 0) closed += end - t;
            t = end;
        }
        return closed;
    }

    private int IndexAt(long atPs)
    {
        // Nearly always one phase, or the reading falls in the newest ones.
        for (int i = _phases.Count - 1; i > 0; i--)
            if (_phases[i].FromPs <= atPs) return i;
        return 0;
    }
}
