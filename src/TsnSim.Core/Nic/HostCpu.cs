namespace TsnSim.Core.Nic;

/// <summary>
/// A host's CPU cores as the NICs' dispatch queues see them: each core serves packets one at a
/// time, in the order they were posted, and is busy until the last one it took is done. Cores
/// are the host's, so the queues of several ports may share one.
/// </summary>
public sealed class HostCpu(int cores)
{
    private readonly long[] _busyUntilPs = new long[cores];

    public int Cores => _busyUntilPs.Length;

    /// <summary>Takes a packet posted at <paramref name="postedPs"/> needing <paramref name="costPs"/> of service; returns when service starts.</summary>
    public long Serve(int core, long postedPs, long costPs)
    {
        long start = Math.Max(postedPs, _busyUntilPs[core]);
        _busyUntilPs[core] = start + costPs;
        return start;
    }
}
