using TsnSim.Core.Telemetry;

namespace TsnSim.Tests.Traffic;

/// <summary>Keeps every hop record of a run in memory, with the node that logged it.</summary>
internal sealed class HopCollector : IFrameLogSink
{
    public List<(string Node, HopRecord Hop)> Hops { get; } = [];

    public void OnHop(string node, in HopRecord hop) => Hops.Add((node, hop));
}
