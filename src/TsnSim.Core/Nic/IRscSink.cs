using TsnSim.Core.Frames;

namespace TsnSim.Core.Nic;

/// <summary>Where a coalescer's output goes: units it closes, and segments it passes on alone.</summary>
public interface IRscSink
{
    /// <summary>A unit is closed; the sink takes its segments (and clears it) before returning.</summary>
    void Indicate(int queue, CoalescedUnit unit, long atPs);

    /// <summary>A segment goes on by itself, not coalesced, for <paramref name="why"/> (<see cref="RscException.None"/>: nothing to coalesce it with).</summary>
    void IndicateAlone(int queue, Frame segment, RscException why, long atPs);

    /// <summary>A unit opened at <paramref name="atPs"/>: its flush timer should fire after the timeout.</summary>
    void Opened(int queue, int context, long generation, long atPs);
}
