using TsnSim.Protos.Link;

namespace TsnSim.Node;

/// <summary>Something that came from a peer: a message, or (message null) the news that its stream failed.</summary>
public readonly record struct PeerInput(string Peer, LinkMessage? Message, string? Failure);
