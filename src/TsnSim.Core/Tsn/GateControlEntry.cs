using TsnSim.Core.Time;

namespace TsnSim.Core.Tsn;

/// <summary>
/// One entry of a gate control list, as tc-taprio writes it (<c>sched-entry S 03 300000</c>): the
/// command (S sets the gates; H and R, frame preemption's hold and release, set them too, since
/// preemption is not modelled), the gate mask (bit i open = traffic class i may transmit) and
/// how long the entry lasts on the node's clock.
/// </summary>
public readonly record struct GateControlEntry(char Command, ushort Gates, SimTime Interval)
{
    public bool IsOpen(int trafficClass) => (Gates & (1 << trafficClass)) != 0;
}
