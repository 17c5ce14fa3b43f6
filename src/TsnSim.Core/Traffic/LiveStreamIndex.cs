namespace TsnSim.Core.Traffic;

/// <summary>
/// Where live streams' indices come from. Each host numbers its own without asking anyone, so
/// the index space is split by node: base + node index × <see cref="PerNode"/> + the host's count.
/// Indices stay the same in any process layout and on replay.
/// </summary>
public static class LiveStreamIndex
{
    public const int Base = 1 << 24;
    public const int PerNode = 1 << 12;

    public static int For(int nodeIndex, int ordinal)
    {
        if ((uint)ordinal >= PerNode) throw new InvalidOperationException($"a host may start at most {PerNode} live streams");
        return Base + nodeIndex * PerNode + ordinal;
    }

    public static bool IsLive(int streamIndex) => streamIndex >= Base;

    /// <summary>Index of the host that numbered the live stream <paramref name="streamIndex"/>.</summary>
    public static int NodeOf(int streamIndex) => (streamIndex - Base) / PerNode;

    /// <summary>Position of the live stream <paramref name="streamIndex"/> among its host's live streams.</summary>
    public static int OrdinalOf(int streamIndex) => (streamIndex - Base) % PerNode;
}
