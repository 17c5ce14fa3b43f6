using TsnSim.Core.Frames;

namespace TsnSim.Core.Links;

/// <summary>A bounded FIFO of frames on a ring that grows up to its capacity and never shrinks.</summary>
public sealed class FrameQueue(int capacity)
{
    private Frame[] _ring = new Frame[Math.Min(capacity, 16)];
    private int _head;
    private int _count;

    public int Capacity { get; } = capacity;
    public int Count => _count;

    /// <summary>False when the queue is full; the caller decides what a drop means.</summary>
    public bool TryEnqueue(Frame frame)
    {
        if (_count == Capacity) return false;
        if (_count == _ring.Length) Grow();
        _ring[(_head + _count) % _ring.Length] = frame;
        _count++;
        return true;
    }

    /// <summary>The frame at the head; the queue must not be empty.</summary>
    public Frame Peek() => _ring[_head];

    public bool TryDequeue(out Frame frame)
    {
        if (_count == 0)
        {
            frame = null!;
            return false;
        }
        frame = _ring[_head];
        _ring[_head] = null!;
        _head = (_head + 1) % _ring.Length;
        _count--;
        return true;
    }

    private void Grow()
    {
        var larger = new Frame[Math.Min(Capacity, _ring.Length * 2)];
        for (int i = 0; i < _count; i++) larger[i] = _ring[(_head + i) % _ring.Length];
        _ring = larger;
        _head = 0;
    }
}
