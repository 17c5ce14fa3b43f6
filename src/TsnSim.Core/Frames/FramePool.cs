namespace TsnSim.Core.Frames;

/// <summary>
/// Frames of one partition, recycled so the frame path allocates nothing in steady state.
/// Buffers come in size classes (128 B up to a jumbo frame), so a partition holding many small
/// frames in flight does not hold a jumbo buffer for each. Single-threaded, like its partition.
/// </summary>
public sealed class FramePool
{
    private static readonly int[] SizeClasses = [128, 256, 512, 1024, 2048, 4096, Ethernet.MaxFrameBytesWithoutFcs];
    private readonly Stack<Frame>[] _free = SizeClasses.Select(_ => new Stack<Frame>()).ToArray();

    /// <summary>The longest frame (without FCS) a pooled buffer holds.</summary>
    public int Capacity => SizeClasses[^1];

    public long Allocated { get; private set; }

    /// <summary>A frame whose buffer holds at least <paramref name="length"/> bytes.</summary>
    public Frame Rent(int length)
    {
        int sizeClass = ClassOf(length);
        if (_free[sizeClass].TryPop(out var frame)) return frame;
        Allocated++;
        return new Frame(SizeClasses[sizeClass]);
    }

    public void Return(Frame frame)
    {
        frame.Reset();
        _free[ClassOf(frame.Buffer.Length)].Push(frame);
    }

    public Frame Clone(Frame original)
    {
        var copy = Rent(original.Length);
        original.CopyTo(copy);
        return copy;
    }

    private static int ClassOf(int length)
    {
        for (int i = 0; i < SizeClasses.Length; i++)
            if (length <= SizeClasses[i]) return i;
        throw new ArgumentOutOfRangeException(nameof(length), $"a frame of {length} bytes is longer than the {SizeClasses[^1]}-byte maximum");
    }
}
