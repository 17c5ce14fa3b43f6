using TsnSim.Core.Telemetry;

namespace TsnSim.Hosting;

/// <summary>Holds a node process's hop records until the next telemetry batch carries them to the coordinator.</summary>
public sealed class HopBuffer : IFrameLogSink
{
    private readonly List<(string Node, HopRecord Hop)> _hops = [];

    public void OnHop(string node, in HopRecord hop) => _hops.Add((node, hop));

    /// <summary>The records since the last call, in the order they happened.</summary>
    public List<(string Node, HopRecord Hop)> Drain()
    {
        var drained = _hops.ToList();
        _hops.Clear();
        return drained;
    }
}
