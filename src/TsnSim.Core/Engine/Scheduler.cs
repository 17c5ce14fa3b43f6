using TsnSim.Core.Time;

namespace TsnSim.Core.Engine;

/// <summary>
/// The event list of one partition: a binary min-heap (<see cref="EventHeap.Push"/>,
/// <see cref="EventHeap.Pop"/>) run in key order. A partition that is one bridge may instead
/// split its events into lanes, an <see cref="EventHeap"/> each (see <see cref="UseLanes"/>),
/// which its synchronizer runs apart whenever their order cannot matter.
/// </summary>
public sealed class Scheduler
{
    // The list of a scheduler without lanes, in fields of its own: the hottest loop reaches it directly.
    private ScheduledEvent[] _heap = new ScheduledEvent[256];
    private int _count;
    private EventHeap[]? _lanes;
    private Func<ScheduledEvent, int>? _laneOf;

    public SimTime Now { get; private set; }

    /// <summary>The latest time of any event run so far: <see cref="Now"/> without lanes; with them, Now may step back from one lane to another, this never does.</summary>
    public SimTime Latest { get; private set; }

    /// <summary>
    /// The key of the event running now (or last run): what lanes place their effects by.
    /// Without lanes events run in key order and only the time is kept (class, source and
    /// sequence read as zero): the one list's hottest loop stores no more than it needs.
    /// </summary>
    public EventKey CurrentKey => _lanes is null ? new EventKey(Now.Picoseconds, 0, 0) : _currentKey;

    private EventKey _currentKey;

    public int Count => _lanes is null ? _count : _lanes.Sum(l => l.Count);
    public long ExecutedEvents { get; private set; }

    /// <summary>The event lists: one, or one per lane.</summary>
    public int HeapCount => _lanes?.Length ?? 1;

    /// <summary>Every pending event of one list, in heap order (not sorted): for bounds that must look at all of them.</summary>
    public ReadOnlySpan<ScheduledEvent> PendingIn(int heap) => _lanes is null ? _heap.AsSpan(0, _count) : _lanes[heap].Pending;

    /// <summary>Every pending event of a scheduler without lanes, in heap order.</summary>
    public ReadOnlySpan<ScheduledEvent> Pending => _lanes is null ? _heap.AsSpan(0, _count) : throw new InvalidOperationException("a scheduler with lanes has one pending list per lane");

    /// <summary>Time of the earliest pending event, or <see cref="SimTime.MaxValue"/> when none.</summary>
    public SimTime NextTime
    {
        get
        {
            if (_lanes is null) return _count == 0 ? SimTime.MaxValue : new SimTime(_heap[0].Time);
            long next = long.MaxValue;
            foreach (var lane in _lanes) next = Math.Min(next, lane.NextTimePs);
            return new SimTime(next);
        }
    }

    /// <summary>True once <see cref="UseLanes"/> split the events.</summary>
    public bool HasLanes => _lanes is not null;

    /// <summary>
    /// Splits events into <paramref name="count"/> lanes, each event to the lane
    /// <paramref name="laneOf"/> names; before any event is scheduled.
    /// </summary>
    public void UseLanes(int count, Func<ScheduledEvent, int> laneOf)
    {
        if (_count > 0 || ExecutedEvents > 0) throw new InvalidOperationException("lanes must be set before the first event");
        _lanes = new EventHeap[count];
        for (int i = 0; i < count; i++) _lanes[i] = new EventHeap();
        _laneOf = laneOf;
    }

    /// <summary>One lane's events; with lanes only.</summary>
    public EventHeap Lane(int lane) => _lanes![lane];

    public void Schedule(in ScheduledEvent scheduled)
    {
        if (_lanes is not null)
        {
            ScheduleInLane(scheduled);
            return;
        }
        if (scheduled.Time < Now.Picoseconds)
            ThrowHelper.ThrowEventInPast(scheduled.At, Now);
        EventHeap.Push(ref _heap, ref _count, scheduled);
    }

    /// <summary>Runs every event at or before <paramref name="limit"/>, in order; returns how many ran.</summary>
    public long RunUntil(SimTime limit)
    {
        if (_lanes is not null) throw new InvalidOperationException("a scheduler with lanes runs lane by lane");
        long ran = 0;
        long limitPs = limit.Picoseconds;
        while (_count > 0 && _heap[0].Time <= limitPs)
        {
            var next = EventHeap.Pop(_heap, ref _count);
            Now = next.At;
            ran++;
            next.Handler.OnEvent(next);
        }
        // One list runs in time order: the latest event is the last one.
        Latest = Now;
        ExecutedEvents += ran;
        return ran;
    }

    // Out of line: the common path of Schedule stays small enough to inline.
    private void ScheduleInLane(in ScheduledEvent scheduled)
    {
        // A lane may be ahead of the event running now: what counts is that its own past stays untouched.
        var lane = _lanes![_laneOf!(scheduled)];
        if (!lane.LastPopped.Precedes(scheduled.Key))
            throw new InvalidOperationException($"an event of class {scheduled.Class} at {scheduled.At} reached a lane that has already run to {new SimTime(lane.LastPopped.Time)}: the lanes' independence was misjudged");
        lane.Push(scheduled);
    }

    /// <summary>Runs the earliest event of one lane.</summary>
    public void RunLaneHead(int lane)
    {
        var next = _lanes![lane].Pop();
        Now = next.At;
        if (Now > Latest) Latest = Now;
        _currentKey = next.Key;
        ExecutedEvents++;
        next.Handler.OnEvent(next);
    }
}
