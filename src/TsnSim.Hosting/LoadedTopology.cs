using TsnSim.Core.Topology;

namespace TsnSim.Hosting;

/// <summary>A topology as a process loaded it: the config, the file it came from, and the SHA-256 of the file's bytes.</summary>
public sealed record LoadedTopology(TopologyConfig Topology, string Path, string Fingerprint);
