using TsnSim.Core.Frames;
using TsnSim.Core.Nodes;
using TsnSim.Core.Time;

namespace TsnSim.Core.Telemetry;

/// <summary>Hears every frame a listener takes, with its latency: what live metrics are made of. Null when nobody exports metrics.</summary>
public interface IDeliveryObserver
{
    void OnDelivered(Host listener, Frame frame, SimTime latency);
}
