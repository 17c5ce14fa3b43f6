using TsnSim.Core.Frames;
using TsnSim.Core.Time;

namespace TsnSim.Core.Links;

/// <summary>
/// One direction of a full-duplex link, as its transmitting port sees it. A port hands it each
/// frame at the start of transmission with the instant its last bit will reach the far end; the
/// channel gets it there. Whether the far end lives in this process or another is the channel's
/// business alone, so models never know.
/// </summary>
public abstract class LinkChannel(int index, Port source, DataRate rate, SimTime delay)
{
    /// <summary>Global index of this direction: 2 × link index, + 1 for the B→A direction.</summary>
    public int Index { get; } = index;
    public Port Source { get; } = source;
    public DataRate Rate { get; } = rate;
    public SimTime Delay { get; } = delay;

    /// <summary>Global index of the port at the far end, for the frame log.</summary>
    public abstract int DestinationPortIndex { get; }

    /// <summary>
    /// The least time between a transmission starting on this direction and its last bit
    /// arriving: propagation delay plus the shortest frame's time to its last bit. A partition
    /// can promise its peer this far ahead of its own next transmission.
    /// </summary>
    public SimTime Lookahead => LookaheadOf(Rate, Delay);

    public static SimTime LookaheadOf(DataRate rate, SimTime delay) => delay + Ethernet.TimeToLastBit(Ethernet.MinFrameBytes, rate);

    public abstract void Carry(Frame frame, SimTime transmitStart, SimTime lastBitArrival);
}
