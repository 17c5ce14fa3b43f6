namespace TsnSim.Core.Nic;

/// <summary>
/// The packet buffer pool the Rx and Tx rings draw from (NetworkingDriverKit's IOUserNetworkPacketBufferPool):
/// a fixed number of buffers of one size. A received frame holds its buffers until the host has
/// served it, a submitted one until the host has reclaimed its Tx completion.
/// </summary>
public sealed class PacketBufferPool(int count, int bufferSize)
{
    public int Count { get; } = count;
    public int BufferSize { get; } = bufferSize;
    public int InUse { get; private set; }
    public int MaxInUse { get; private set; }

    public int BuffersFor(int bytes) => (bytes + BufferSize - 1) / BufferSize;

    public bool TryTake(int buffers)
    {
        if (InUse + buffers > Count) return false;
        InUse += buffers;
        if (InUse > MaxInUse) MaxInUse = InUse;
        return true;
    }

    public void Release(int buffers) => InUse -= buffers;
}
