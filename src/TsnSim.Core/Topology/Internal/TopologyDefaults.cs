using TsnSim.Core.Time;

namespace TsnSim.Core.Topology.Internal;

/// <summary>The values a node or link takes when it does not set them: the file's <c>defaults:</c> over the built-in ones.</summary>
internal sealed record TopologyDefaults
{
    public static readonly TopologyDefaults BuiltIn = new();

    public DataRate LinkRate { get; init; } = DataRate.FromGigabits(1);
    public SimTime LinkDelay { get; init; } = SimTime.FromMicroseconds(1);
    public int HostQueue { get; init; } = PortConfig.DefaultQueueCapacity;
    public int SwitchQueue { get; init; } = PortConfig.DefaultQueueCapacity;
    public SimTime SwitchProcessing { get; init; } = SimTime.FromMicroseconds(1);
    public SimTime SwitchAging { get; init; } = SimTime.FromSeconds(300);
    public Clocks.ClockConfig Clock { get; init; } = Clocks.ClockConfig.Ideal;
    public Clocks.TimestampConfig Timestamps { get; init; } = Clocks.TimestampConfig.Default;

    public int QueueFor(NodeKind kind) => kind == NodeKind.Switch ? SwitchQueue : HostQueue;
}
