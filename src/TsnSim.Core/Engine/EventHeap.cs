namespace TsnSim.Core.Engine;

/// <summary>
/// A binary min-heap of <see cref="ScheduledEvent"/> structs in one array that only grows, so
/// steady-state scheduling allocates nothing: a scheduler's event list, or one of its lanes.
/// </summary>
public sealed class EventHeap
{
    private ScheduledEvent[] _heap = new ScheduledEvent[256];
    private int _count;

    public int Count => _count;

    /// <summary>Every pending event, in heap order (not sorted).</summary>
    public ReadOnlySpan<ScheduledEvent> Pending => _heap.AsSpan(0, _count);

    /// <summary>The earliest pending event; only when <see cref="Count"/> is positive.</summary>
    public ref readonly ScheduledEvent Head => ref _heap[0];

    /// <summary>Time of the earliest pending event, or <see cref="long.MaxValue"/> when none.</summary>
    public long NextTimePs => _count == 0 ? long.MaxValue : _heap[0].Time;

    /// <summary>The key of the last event taken out: nothing may be put in before it.</summary>
    public EventKey LastPopped { get; private set; } = new(long.MinValue, long.MinValue, long.MinValue);

    public void Push(in ScheduledEvent scheduled)
    {
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

    public ScheduledEvent Pop()
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
        LastPopped = top.Key;
        return top;
    }
}
