using TsnSim.Core.Frames;
using TsnSim.Core.Links;
using TsnSim.Core.Telemetry;
using TsnSim.Core.Time;

namespace TsnSim.Tests.Tsn;

/// <summary>
/// Every frame host h1 sends at 1 Gb/s in the two-class tests (PCP 6 is class 1, the rest
/// class 0), with its class and when it was on the wire, from first preamble bit to the end of
/// its inter-frame gap.
/// </summary>
internal sealed class TwoClassWire : IFrameCapture
{
    private static readonly DataRate Gigabit = DataRate.Parse("1Gbps");

    public List<(long StartPs, long EndPs, int Class)> Sent { get; } = [];

    public void OnFrame(Port port, Frame frame, SimTime firstBit, bool outbound)
    {
        if (!outbound || port.Owner.Name != "h1") return;
        Sent.Add((firstBit.Picoseconds, (firstBit + Ethernet.WireTime(frame.LengthWithFcs, Gigabit)).Picoseconds, frame.Bytes[14] >> 5 == 6 ? 1 : 0));
    }
}
