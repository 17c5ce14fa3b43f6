namespace TsnSim.Core.Distributed;

/// <summary>What one partition has for one peer after a step: frames, grown promises, a grown horizon.</summary>
public sealed class PeerBatch(string peer)
{
    public string Peer { get; } = peer;
    public List<OutboundFrame> Frames { get; } = [];
    /// <summary>Per link direction, the promises that grew.</summary>
    public List<LinkPromise> Promises { get; } = [];

    /// <summary>The peer may run until this time before it must wait for us; null when unchanged.</summary>
    public long? HorizonPs { get; set; }

    public bool IsEmpty => Frames.Count == 0 && Promises.Count == 0 && HorizonPs is null;

    public void Clear()
    {
        Frames.Clear();
        Promises.Clear();
        HorizonPs = null;
    }
}
