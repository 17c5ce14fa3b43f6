namespace TsnSim.Core.Links;

/// <summary>What one port saw; the report shows these per port.</summary>
public sealed class PortCounters
{
    public long TxFrames;
    public long TxBytes;
    public long RxFrames;
    public long RxBytes;
    /// <summary>Frames dropped because the egress queue was full.</summary>
    public long QueueDrops;
    /// <summary>Frames dropped on ingress: VLAN filtering, not addressed to the host, unknown payload.</summary>
    public long IngressDrops;
    /// <summary>Frames handed to a port that no link uses.</summary>
    public long UnlinkedDrops;
    public int MaxQueueDepth;
    /// <summary>Frames dropped because their launch time had passed when their turn came.</summary>
    public long LaunchTimeDrops;
}
