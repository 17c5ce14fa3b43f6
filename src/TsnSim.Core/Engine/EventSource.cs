using TsnSim.Core.Frames;
using TsnSim.Core.Time;

namespace TsnSim.Core.Engine;

/// <summary>
/// Something that schedules events under one global index with its own running sequence:
/// a port, a link direction, a talker. Owning the sequence per source (not per scheduler) is
/// what makes event order independent of how nodes are spread over processes.
/// </summary>
public sealed class EventSource(Scheduler scheduler, EventClass eventClass, int index)
{
    private long _nextSequence;

    public Scheduler Scheduler { get; } = scheduler;
    public EventClass Class { get; } = eventClass;
    public int Index { get; } = index;

    public void Schedule(SimTime at, IEventHandler handler, Frame? frame = null, long argument = 0) =>
        Scheduler.Schedule(new ScheduledEvent(at, Class, Index, _nextSequence++, handler, frame, argument));
}
