using TsnSim.Core.Clocks;
using TsnSim.Core.Engine;
using TsnSim.Core.Time;

namespace TsnSim.Tests.Clocks;

/// <summary>A clock on a scheduler of its own, with a way to act at a given true time (the clock reads the scheduler's present).</summary>
internal sealed class ClockHarness
{
    private sealed class Action(System.Action act) : IEventHandler
    {
        public void OnEvent(in ScheduledEvent scheduled) => act();
    }

    private long _sequence;

    public ClockHarness(ClockConfig config, ulong seed = 1, string node = "n")
    {
        Clock = new PhcClock(config, new DeterministicRandom(seed, $"{node}/clock"), Scheduler);
    }

    public Scheduler Scheduler { get; } = new();
    public PhcClock Clock { get; }

    /// <summary>Runs <paramref name="act"/> with the present at <paramref name="at"/>.</summary>
    public void At(SimTime at, System.Action act)
    {
        Scheduler.Schedule(new ScheduledEvent(at, EventClass.Talker, 0, _sequence++, new Action(act), null, 0));
        Scheduler.RunUntil(at);
    }

    public SimTime ReadAt(SimTime at)
    {
        SimTime reading = default;
        At(at, () => reading = Clock.Read(at));
        return reading;
    }
}
