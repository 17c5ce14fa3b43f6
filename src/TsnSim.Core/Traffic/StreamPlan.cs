using TsnSim.Core.Frames;
using TsnSim.Core.Topology;

namespace TsnSim.Core.Traffic;

/// <summary>A stream as the run uses it: its config with the global index and destination resolved.</summary>
public sealed record StreamPlan(int Index, StreamConfig Config, MacAddress Destination)
{
    /// <summary>
    /// The frame's destination: what the file says, else the one listener's MAC, else a group
    /// address from the IEEE 1722 MAAP block (91:e0:f0:00:xx:xx), one per stream.
    /// </summary>
    public static StreamPlan Resolve(int index, StreamConfig config, TopologyConfig topology)
    {
        var destination = config.Destination
            ?? (config.Listeners.Count == 1
                ? topology.Node(config.Listeners[0]).Mac
                : new MacAddress(0x91E0_F000_0000UL | (ushort)index));
        return new StreamPlan(index, config, destination);
    }
}
