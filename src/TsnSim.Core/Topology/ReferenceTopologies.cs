using System.Globalization;
using System.Text;
using TsnSim.Core.Time;

namespace TsnSim.Core.Topology;

/// <summary>
/// The benchmark workloads, written as topology files so a single process and one process per
/// node (which must read a file) run exactly the same thing.
/// </summary>
public static class ReferenceTopologies
{
    /// <summary>
    /// The chain of the ns-3 reference: host h0, bridges s1…s(N-2), host h(N-1), identical links;
    /// h0 sends <paramref name="frames"/> frames of <paramref name="size"/> bytes back to back at
    /// line rate to the last host. Bridges forward with no processing delay, as ns-3's do. With
    /// <paramref name="classes"/> traffic classes every port gets them and an active 802.1Qbv
    /// schedule: one entry per class, each 12.5 µs, opening class 0 (the chain's frames) and one
    /// other class in turn, so the gates change all the time and the chain still flows at line rate.
    /// </summary>
    public static string Chain(int nodes, long frames, int size, DataRate rate, SimTime delay, int classes = 0)
    {
        if (nodes < 2) throw new ArgumentOutOfRangeException(nameof(nodes), "a chain needs at least 2 nodes");
        var names = Enumerable.Range(0, nodes).Select(i => i == 0 || i == nodes - 1 ? $"h{i}" : $"s{i}").ToArray();
        var text = new StringBuilder();
        text.AppendLine(Invariant($"name: chain-{nodes}"));
        // Long enough for the last frame to be sent; the drain lets it cross the chain.
        var period = Frames.Ethernet.WireTime(size, rate);
        text.AppendLine(Invariant($"duration: {period * frames + SimTime.FromNanoseconds(1)}"));
        text.AppendLine(Invariant($"defaults: {{ link: {{ rate: {rate.BitsPerSecond}, delay: {delay} }}, switch: {{ processing: 0 }} }}"));
        text.AppendLine("nodes:");
        var egress = classes <= 0 ? "" : Invariant($", egress: {{ num_tc: {classes}, map: [{string.Join(", ", Enumerable.Range(0, 16).Select(p => Math.Min(p, classes - 1)))}], schedule: {{ entries: [{string.Join(", ", Enumerable.Range(0, classes).Select(c => $"\"S {(1 | (1 << c)):x2} 12500\""))}] }} }}");
        foreach (var name in names) text.AppendLine(name.StartsWith('h') ? $"  {name}: {{ kind: host, ports: 1{egress} }}" : $"  {name}: {{ kind: switch, ports: 2{egress} }}");
        text.AppendLine("links:");
        for (int i = 0; i + 1 < nodes; i++)
            text.AppendLine($"  - endpoints: [\"{names[i]}:{(i == 0 ? "eth0" : "eth1")}\", \"{names[i + 1]}:eth0\"]");
        text.AppendLine("streams:");
        text.AppendLine(Invariant($"  - {{ name: chain, talker: {names[0]}, listener: {names[^1]}, rate: {rate.BitsPerSecond}, size: {size}, count: {frames} }}"));
        return text.ToString();
    }

    /// <summary>
    /// The chain, plus a 1 kHz stream of 128-byte PCP 6 frames (<c>probe</c>) on the same path,
    /// every frame of it traced: what tracing costs a run whose links are full.
    /// </summary>
    public static string ChainWithTracedProbe(int nodes, long frames, int size, DataRate rate, SimTime delay) =>
        Chain(nodes, frames, size, rate, delay)
        + $"  - {{ name: probe, talker: h0, listener: h{nodes - 1}, period: 1ms, size: 128, pcp: 6, trace: true }}\n";

    /// <summary>
    /// The sparse workload: four bridges in a line, a host on each (8 nodes); every host sends a
    /// 128-byte frame each millisecond to the host at the other end of the line, so traffic
    /// crosses every bridge in both directions.
    /// </summary>
    public static string Sparse(SimTime duration)
    {
        var text = new StringBuilder();
        text.AppendLine("name: sparse");
        text.AppendLine(Invariant($"duration: {duration}"));
        text.AppendLine("defaults: { link: { rate: 1Gbps, delay: 1us }, switch: { processing: 1us } }");
        text.AppendLine("nodes:");
        for (int i = 1; i <= 4; i++) text.AppendLine($"  h{i}: {{ kind: host, ports: 1 }}");
        for (int i = 1; i <= 4; i++) text.AppendLine($"  s{i}: {{ kind: switch, ports: {(i is 1 or 4 ? 2 : 3)} }}");
        text.AppendLine("links:");
        for (int i = 1; i <= 4; i++) text.AppendLine($"  - endpoints: [\"h{i}:eth0\", \"s{i}:eth0\"]");
        for (int i = 1; i < 4; i++) text.AppendLine($"  - endpoints: [\"s{i}:eth1\", \"s{i + 1}:eth{(i + 1 == 4 ? 1 : 2)}\"]");
        text.AppendLine("streams:");
        (int From, int To)[] pairs = [(1, 4), (4, 1), (2, 3), (3, 2)];
        for (int k = 0; k < pairs.Length; k++)
            text.AppendLine(Invariant($"  - {{ name: h{pairs[k].From}-h{pairs[k].To}, talker: h{pairs[k].From}, listener: h{pairs[k].To}, period: 1ms, size: 128, start: {250 * k}us }}"));
        return text.ToString();
    }

    /// <summary>Loads a reference topology; these are generated, so an error is a bug here.</summary>
    public static TopologyConfig Load(string yaml, string name)
    {
        var result = TopologyLoader.Load(yaml, name);
        return result.Topology ?? throw new InvalidOperationException($"reference topology {name} does not load: {string.Join("; ", result.Diagnostics)}");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
