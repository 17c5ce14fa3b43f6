using TsnSim.Core.Frames;

namespace TsnSim.Core.Distributed;

/// <summary>
/// A frame that left on a link to another partition, waiting to be serialised. The frame still
/// belongs to this partition's pool; whoever sends it returns it.
/// </summary>
public readonly record struct OutboundFrame(int Link, long DeliverAtPs, long Sequence, long TransmitStartPs, Frame Frame);
