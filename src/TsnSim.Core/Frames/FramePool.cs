namespace TsnSim.Core.Frames;

/// <summary>
/// Frames of one partition, recycled so the frame path allocates nothing in steady state.
/// Single-threaded, like the partition that owns it.
/// </summary>
public sealed class FramePool
{
    private readonly Stack<Frame> _free = new();

    public int Capacity { get; }
    public long Allocated { get; private set; }

    public FramePool(int frameCapacity = Ethernet.MaxFrameBytesWithoutFcs) => Capacity = frameCapacity;

    public Frame Rent()
    {
        if (_free.TryPop(out var frame)) return frame;
        Allocated++;
        return new Frame(Capacity);
    }

    public void Return(Frame frame)
    {
        frame.Reset();
        _free.Push(frame);
    }

    public Frame Clone(Frame original)
    {
        var copy = Rent();
        original.CopyTo(copy);
        return copy;
    }
}
