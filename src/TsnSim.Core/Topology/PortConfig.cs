namespace TsnSim.Core.Topology;

/// <summary>One port of a node.</summary>
/// <param name="Name">The port's name, as links refer to it (<c>eth0</c>).</param>
/// <param name="QueueCapacity">Egress FIFO capacity in frames; a frame arriving at a full queue is dropped and counted.</param>
/// <param name="Pvid">VLAN an untagged or priority-tagged frame is classified into on ingress.</param>
/// <param name="Vlans">VLANs this port is a member of; null means every VLAN (a trunk).</param>
public sealed record PortConfig(string Name, int QueueCapacity, ushort Pvid, IReadOnlySet<ushort>? Vlans)
{
    public const int DefaultQueueCapacity = 1000;
    public const ushort DefaultPvid = 1;

    /// <summary>Traffic classes and a gate schedule on this port's egress; null: one FIFO, as a port without TSN.</summary>
    public Tsn.EgressConfig? Egress { get; init; }

    public bool IsMemberOf(ushort vlan) => Vlans is null || Vlans.Contains(vlan);
}
