using System.Globalization;
using TsnSim.Core.Frames;
using TsnSim.Core.Nic;
using TsnSim.Protos.Traffic;

namespace TsnSim.Hosting.Traffic;

/// <summary>
/// An <see cref="RxRule"/> of the traffic API as the fields of a topology rule (its names, its
/// texts), which <see cref="Core.Topology.FlowRuleReader"/> checks as it checks the topology's;
/// and back, a rule already read as the API's.
/// </summary>
public static class RxRuleFields
{
    /// <summary>The fields <paramref name="rule"/> sets, with the topology's names; unset ones are left out (they match anything).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Of(RxRule rule)
    {
        var fields = new List<KeyValuePair<string, string>>();
        void Add(string name, string value) => fields.Add(new(name, value));
        if (rule.Name.Length > 0) Add("name", rule.Name);
        if (rule.HasEthertype) Add("ethertype", Text(rule.Ethertype));
        if (rule.HasVlan) Add("vlan", Text(rule.Vlan));
        if (rule.HasPcp) Add("pcp", Text(rule.Pcp));
        if (rule.Proto.Length > 0) Add("proto", rule.Proto);
        if (rule.Src.Length > 0) Add("src", rule.Src);
        if (rule.Dst.Length > 0) Add("dst", rule.Dst);
        if (rule.HasSrcPort) Add("src_port", Text(rule.SrcPort));
        if (rule.HasDstPort) Add("dst_port", Text(rule.DstPort));
        // Left out when unset, so the rule reader refuses it as the topology's would: a rule needs its queue.
        if (rule.HasQueue) Add("queue", Text(rule.Queue));
        return fields;
    }

    /// <summary>A rule read and checked (from the command line) as the API carries it.</summary>
    public static RxRule From(FlowRule rule)
    {
        var api = new RxRule
        {
            Name = rule.Name, Queue = (uint)rule.Queue,
            Proto = rule.Protocol switch { null => "", IpProtocols.Tcp => "tcp", IpProtocols.Udp => "udp", { } number => Text(number) },
            Src = rule.SourceAddress?.ToString() ?? "", Dst = rule.DestinationAddress?.ToString() ?? "",
        };
        if (rule.EtherType is { } type) api.Ethertype = type;
        if (rule.Vlan is { } vlan) api.Vlan = vlan;
        if (rule.Pcp is { } pcp) api.Pcp = pcp;
        if (rule.SourcePort is { } source) api.SrcPort = source;
        if (rule.DestinationPort is { } destination) api.DstPort = destination;
        return api;
    }

    private static string Text(uint value) => value.ToString(CultureInfo.InvariantCulture);
}
