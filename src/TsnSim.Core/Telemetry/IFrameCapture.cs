using TsnSim.Core.Frames;
using TsnSim.Core.Links;
using TsnSim.Core.Time;

namespace TsnSim.Core.Telemetry;

/// <summary>
/// Sees every frame on a port as a tap on its wire would: sent frames when their first bit
/// leaves, received ones when their first bit arrives. Null when nobody captures.
/// </summary>
public interface IFrameCapture
{
    void OnFrame(Port port, Frame frame, SimTime firstBit, bool outbound);
}
