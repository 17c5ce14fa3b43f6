using TsnSim.Core.Time;

namespace TsnSim.Core.Frames;

/// <summary>IEEE 802.3 sizes and the wire-time arithmetic every port uses.</summary>
public static class Ethernet
{
    public const int PreambleAndSfdBytes = 8;
    public const int InterFrameGapBytes = 12;
    public const int FcsBytes = 4;
    public const int HeaderBytes = 14;
    public const int VlanTagBytes = 4;
    /// <summary>Smallest frame including FCS; shorter ones are padded.</summary>
    public const int MinFrameBytes = 64;
    /// <summary>Largest frame a pool buffer holds: a 9216-byte jumbo frame including FCS.</summary>
    public const int MaxFrameBytes = 9216;
    public const int MaxFrameBytesWithoutFcs = MaxFrameBytes - FcsBytes;

    /// <summary>Time the port is busy with one frame: (frame incl. FCS + preamble/SFD + IFG) × 8 / rate.</summary>
    public static SimTime WireTime(int frameBytesWithFcs, DataRate rate) =>
        rate.TimeFor(frameBytesWithFcs + PreambleAndSfdBytes + InterFrameGapBytes);

    /// <summary>Time from the first preamble bit to the frame's last (FCS) bit: when a receiver has it all.</summary>
    public static SimTime TimeToLastBit(int frameBytesWithFcs, DataRate rate) =>
        rate.TimeFor(frameBytesWithFcs + PreambleAndSfdBytes);
}
