namespace TsnSim.Core.Engine;

/// <summary>
/// A binary min-heap of <see cref="ScheduledEvent"/> structs in one array that only grows, so
/// steady-state scheduling allocates nothing: one lane of a scheduler. The scheduler's own
/// event list keeps its array and count in fields of its own, reached without an indirection
/// in the hottest loop; both go through <see cref="Push"/> and <see cref="Pop"/>.
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

    public void Push(in ScheduledEvent scheduled) => Push(ref _heap, ref _count, scheduled);

    public ScheduledEvent Pop()
    {
        var top = Pop(_heap, ref _count);
        LastPopped = top.Key;
        return top;
    }

    /// <summary>Adds <paramref name="scheduled"/> to the heap held in <paramref name="heap"/>'s first <paramref name="count"/> entries.</summary>
    public static void Push(ref ScheduledEvent[] heap, ref int count, in ScheduledEvent scheduled)
    {
        // Locals, not the references: the loop then keeps the array and index in registers.
        if (count == heap.Length) Array.Resize(ref heap, count * 2);
        var entries = heap;
        int i = count++;
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (entries[parent].PrecedesOrEquals(scheduled)) break;
            entries[i] = entries[parent];
            i = parent;
        }
        entries[i] = scheduled;
    }

    /// <summary>Takes the earliest event out of the heap held in <paramref name="heap"/>'s first <paramref name="count"/> entries (at least one).</summary>
    public static ScheduledEvent Pop(ScheduledEvent[] heap, ref int count)
    {
        int size = --count;
        var top = heap[0];
        var last = heap[size];
        heap[size] = default;
        int i = 0;
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= size) break;
            if (child + 1 < size && !heap[child].PrecedesOrEquals(heap[child + 1])) child++;
            if (last.PrecedesOrEquals(heap[child])) break;
            heap[i] = heap[child];
            i = child;
        }
        if (size > 0) heap[i] = last;
        return top;
    }
}
