using TsnSim.Core.Frames;
using TsnSim.Core.Links;
using TsnSim.Core.Time;

namespace TsnSim.Core.Nic;

/// <summary>The host stack above a NIC: takes each packet once its core has served it. It then owns the frame.</summary>
public interface IPacketConsumer
{
    void Consume(Port ingress, Frame frame, SimTime servedAt);
}
