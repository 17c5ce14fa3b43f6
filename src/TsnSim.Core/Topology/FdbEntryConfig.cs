using TsnSim.Core.Frames;

namespace TsnSim.Core.Topology;

/// <summary>A static filtering database entry: frames to <paramref name="Mac"/> in <paramref name="Vlan"/> leave by these ports.</summary>
public sealed record FdbEntryConfig(MacAddress Mac, ushort Vlan, IReadOnlyList<string> Ports);
