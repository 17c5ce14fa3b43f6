using TsnSim.Protos.Link;

namespace TsnSim.Node;

/// <summary>
/// Something that came from a peer: a message, or (message null) the news that its stream
/// failed; or, with neither, just a nudge that wakes the simulation loop (a traffic request waits).
/// </summary>
public readonly record struct PeerInput(string Peer, LinkMessage? Message, string? Failure)
{
    public static readonly PeerInput Wake = new("", null, null);

    public bool IsWake => Message is null && Failure is null;
}
