using TsnSim.Core.Time;

namespace TsnSim.Core.Engine;

/// <summary>
/// The event list of one partition: a binary min-heap of <see cref="ScheduledEvent"/> structs in
/// one array that only grows, so steady-state scheduling allocates nothing.
/// </summary>
public sealed class Scheduler
{
    private ScheduledEvent[] _heap = new ScheduledEvent[256];
    private int _count;

    public SimTime Now { get; private set; }
    public int Count => _count;
    public long ExecutedEvents { get; private set; }

    /// <summary>Every pending event, in heap order (not sorted): for bounds that must look at all of them.</summary>
    public ReadOnlySpan<ScheduledEvent> Pending => _heap.AsSpan(0, _count);

    /// <summary>Time of the earliest pending event, or <see cref="SimTime.MaxValue"/> when none.</summary>
    public SimTime NextTime => _count == 0 ? SimTime.MaxValue : new SimTime(_heap[0].Time);

    public void Schedule(in ScheduledEvent scheduled)
    {
        if (scheduled.Time < Now.Picoseconds)
            ThrowHelper.ThrowEventInPast(scheduled.At, Now);
        if (_count == _heap.Length) Array.Resize(ref _heap, _count * 2);
        int i = _count++;
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (_heap[parent].PrecedesOrEquals(scheduled)) break;
            _heap[i] = _heap[parent];
            i = parent;
        }
        _heap[i] = scheduled;
    }

    /// <summary>Runs every event at or before <paramref name="limit"/>, in order; returns how many ran.</summary>
    public long RunUntil(SimTime limit)
    {
        long ran = 0;
        long limitPs = limit.Picoseconds;
        while (_count > 0 && _heap[0].Time <= limitPs)
        {
            var next = Pop();
            Now = next.At;
            ran++;
            next.Handler.OnEvent(next);
        }
        ExecutedEvents += ran;
        return ran;
    }

    private ScheduledEvent Pop()
    {
        var top = _heap[0];
        var last = _heap[--_count];
        _heap[_count] = default;
        int i = 0;
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= _count) break;
            if (child + 1 < _count && !_heap[child].PrecedesOrEquals(_heap[child + 1])) child++;
            if (last.PrecedesOrEquals(_heap[child])) break;
            _heap[i] = _heap[child];
            i = child;
        }
        if (_count > 0) _heap[i] = last;
        return top;
    }
}
