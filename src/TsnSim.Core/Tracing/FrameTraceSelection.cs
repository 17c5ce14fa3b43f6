using TsnSim.Core.Topology;
using TsnSim.Core.Traffic;

namespace TsnSim.Core.Tracing;

/// <summary>
/// Which frames are traced: per stream, the ratio its topology entry asks for (<c>trace: true</c>
/// is 1), or what the command line names instead. A ratio r traces frame s of a stream when
/// ⌊s·r⌋ &gt; ⌊(s−1)·r⌋: of n frames ⌊(n−1)·r⌋ + 1, evenly spaced, the first one included. The
/// choice depends on the stream and the sequence alone, never on the process layout.
/// </summary>
public sealed class FrameTraceSelection
{
    public const string AllStreams = "all";
    private readonly double[] _ratios;
    private readonly bool _allLive;
    private readonly HashSet<string> _liveNames;

    private FrameTraceSelection(double[] ratios, bool allLive, HashSet<string> liveNames)
    {
        _ratios = ratios;
        _allLive = allLive;
        _liveNames = liveNames;
    }

    /// <summary>
    /// The topology's choice, or, when <paramref name="names"/> is given, exactly the streams it
    /// names (every frame), with <see cref="AllStreams"/> for every stream, live ones included.
    /// A name with a slash (TALKER/NAME) picks a live stream started while the run goes on.
    /// </summary>
    /// <exception cref="ArgumentException">A name that is neither a topology stream nor TALKER/NAME.</exception>
    public static FrameTraceSelection For(TopologyConfig topology, IReadOnlyCollection<string>? names)
    {
        if (names is null)
            return new FrameTraceSelection(topology.Streams.Select(s => s.TraceRatio).ToArray(), false, []);
        bool all = names.Contains(AllStreams);
        var ratios = new double[topology.Streams.Count];
        var live = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (name == AllStreams) continue;
            int index = IndexOf(topology, name);
            if (index >= 0) ratios[index] = 1;
            else if (name.IndexOf('/') is > 0 and var slash && IsHost(topology, name[..slash])) live.Add(name);
            else
            {
                var near = NameSuggester.Suggest(name, topology.Streams.Select(s => s.Name)) is { } n ? $" (did you mean '{n}'?)" : "";
                throw new ArgumentException(
                    $"no stream '{name}' in topology {topology.Name}{near}; expected {AllStreams}, stream names ({string.Join(", ", topology.Streams.Select(s => s.Name))}) or TALKER/NAME of a live stream, TALKER a host of the topology");
            }
        }
        if (all) Array.Fill(ratios, 1);
        return new FrameTraceSelection(ratios, all, live);
    }

    /// <summary>True when no frame can ever be traced: then no tracer need be installed.</summary>
    public bool IsEmpty => !_allLive && _liveNames.Count == 0 && _ratios.All(r => r <= 0);

    /// <summary>Whether frame <paramref name="sequence"/> of stream <paramref name="stream"/> (named <paramref name="liveName"/> when live) is traced.</summary>
    public bool Traces(int stream, long sequence, string? liveName = null)
    {
        if ((uint)stream < (uint)_ratios.Length) return Sampled(_ratios[stream], sequence);
        return LiveStreamIndex.IsLive(stream) && (_allLive || (liveName is not null && _liveNames.Contains(liveName)));
    }

    private static bool IsHost(TopologyConfig topology, string node) => topology.Nodes.Any(n => n.Name == node && n.Kind == NodeKind.Host);

    private static int IndexOf(TopologyConfig topology, string name)
    {
        for (int i = 0; i < topology.Streams.Count; i++)
            if (topology.Streams[i].Name == name) return i;
        return -1;
    }

    private static bool Sampled(double ratio, long sequence)
    {
        if (ratio >= 1) return true;
        if (ratio <= 0) return false;
        // The epsilon keeps ratios like 0.1, which binary floating point cannot hold exactly, on their intended frames.
        return Math.Floor(sequence * ratio + 1e-9) > Math.Floor((sequence - 1) * ratio + 1e-9);
    }
}
