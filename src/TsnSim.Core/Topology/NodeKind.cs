namespace TsnSim.Core.Topology;

public enum NodeKind
{
    /// <summary>An end station: runs talkers and listeners.</summary>
    Host,
    /// <summary>An 802.1Q bridge: learns, floods and forwards store-and-forward.</summary>
    Switch,
}
