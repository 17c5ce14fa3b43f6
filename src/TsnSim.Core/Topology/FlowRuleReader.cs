using TsnSim.Core.Nic;
using TsnSim.Core.Topology.Internal;

namespace TsnSim.Core.Topology;

/// <summary>
/// Reads Rx steering rules given field by field as text (the traffic API's SetRxRules and
/// <c>tsnsim inject rx-rules</c> give them so) with the very reader of a topology's
/// <c>nic.rules</c>: the same field names, checks and messages.
/// </summary>
public static class FlowRuleReader
{
    /// <param name="rules">Each rule's fields as name and text, with the topology's names: name, ethertype, vlan, pcp, proto, src, dst, src_port, dst_port, queue.</param>
    /// <param name="queues">The NIC's Rx queues: a rule's queue must be one of them.</param>
    /// <param name="path">The list's field path: a problem names <c>path[i].field</c>.</param>
    /// <param name="problem">The first problem found, or null.</param>
    /// <returns>The rules in order; none when there is a problem.</returns>
    public static IReadOnlyList<FlowRule> Read(IReadOnlyList<IReadOnlyList<KeyValuePair<string, string>>> rules, int queues, string path, out TopologyDiagnostic? problem)
    {
        var diagnostics = new DiagnosticCollector(path);
        var list = new SequenceSourceNode(1, 1, rules.Select(rule => (SourceNode)new MappingSourceNode(1, 1,
            rule.Select(field => new MappingEntry(new ScalarSourceNode(1, 1, field.Key, isPlain: true), new ScalarSourceNode(1, 1, field.Value, isPlain: false))).ToArray())).ToArray());
        var read = NicSectionReader.ReadRules(list, path, queues, new ValueReader(diagnostics), wake: false);
        problem = diagnostics.InFileOrder().FirstOrDefault(d => d.IsError);
        return problem is null ? read : [];
    }
}
