using TsnSim.Core.Time;

namespace TsnSim.Core.Topology.Internal;

/// <summary>Reads <c>links:</c> and checks that every endpoint names an existing, not yet linked port.</summary>
internal static class LinkSectionReader
{
    private const string LinksExpectation = "a list of links such as - endpoints: [\"h1:eth0\", \"sw1:eth0\"]";
    private const string EndpointsExpectation = "a list of two endpoints such as [\"h1:eth0\", \"sw1:eth0\"]";

    /// <param name="nodes">The nodes by name; null when the nodes section was unusable, which skips reference checks.</param>
    /// <param name="linkedPorts">Filled with each linked port and the link that claimed it.</param>
    public static IReadOnlyList<LinkConfig> Read(
        SourceNode? section,
        IReadOnlyDictionary<string, ParsedNode>? nodes,
        TopologyDefaults defaults,
        Dictionary<PortRef, (string Field, SourceNode At)> linkedPorts,
        ValueReader values)
    {
        if (section is null) return [];
        var list = values.Sequence(section, "links", LinksExpectation);
        if (list is null) return [];
        var links = new List<LinkConfig>();
        for (int i = 0; i < list.Items.Count; i++)
        {
            var path = $"links[{i}]";
            var mapping = values.Mapping(list.Items[i], path, "a mapping with endpoints and optionally rate and delay");
            if (mapping is null) continue;
            var fields = MappingFields.Check(mapping, path, TopologyFields.Link, values.Diagnostics);

            var rate = defaults.LinkRate;
            if (fields["rate"] is { } rateNode && values.Rate(rateNode, fields.PathOf("rate"), DataRate.Minimum, DataRate.Maximum) is { } r) rate = r;
            var delay = defaults.LinkDelay;
            if (fields["delay"] is { } delayNode && values.Duration(delayNode, fields.PathOf("delay"), allowZero: false) is { } d) delay = d;
            var asymmetry = SimTime.Zero;
            if (fields["asymmetry"] is { } asymmetryNode && ReadAsymmetry(asymmetryNode, fields.PathOf("asymmetry"), delay, values) is { } asym) asymmetry = asym;

            if (values.Required(fields, "endpoints", EndpointsExpectation) is not { } endpointsNode) continue;
            if (values.Sequence(endpointsNode, fields.PathOf("endpoints"), EndpointsExpectation) is not { } endpoints) continue;
            if (endpoints.Items.Count != 2)
            {
                values.Diagnostics.Error(endpoints, fields.PathOf("endpoints"), $"{endpoints.Items.Count} endpoints; expected exactly two, as {EndpointsExpectation}");
                continue;
            }
            var a = ReadEndpoint(endpoints.Items[0], $"{fields.PathOf("endpoints")}[0]", nodes, linkedPorts, values);
            var b = ReadEndpoint(endpoints.Items[1], $"{fields.PathOf("endpoints")}[1]", nodes, linkedPorts, values);
            if (a is { } left && b is { } right)
            {
                if (left.Node == right.Node)
                    values.Diagnostics.Error(endpoints, fields.PathOf("endpoints"),
                        $"both ends are on node '{left.Node}'; expected a link between two different nodes");
                links.Add(new LinkConfig(left, right, rate, delay) { Asymmetry = asymmetry });
            }
        }
        return links;
    }

    /// <summary>A signed duration smaller in size than the delay, so both directions keep a positive delay.</summary>
    private static SimTime? ReadAsymmetry(SourceNode node, string path, SimTime delay, ValueReader values)
    {
        var expectation = $"a signed duration such as 10ns or -10ns, smaller in size than the link's delay ({delay})";
        var text = values.Text(node, path, expectation);
        if (text is null) return null;
        bool negative = text.StartsWith('-');
        if (!SimTime.TryParse(negative ? text[1..] : text, out var size, out var error))
        {
            values.Diagnostics.Error(node, path, $"{error}; expected {expectation}");
            return null;
        }
        if (size >= delay)
        {
            values.Diagnostics.Error(node, path, $"{text} leaves one direction without a positive delay; expected {expectation}");
            return null;
        }
        return negative ? SimTime.Zero - size : size;
    }

    private static PortRef? ReadEndpoint(
        SourceNode node,
        string path,
        IReadOnlyDictionary<string, ParsedNode>? nodes,
        Dictionary<PortRef, (string Field, SourceNode At)> linkedPorts,
        ValueReader values)
    {
        const string expectation = "an endpoint 'node:port' such as 'h1:eth0'";
        var text = values.Text(node, path, expectation);
        if (text is null) return null;
        var parts = text.Split(':');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            values.Diagnostics.Error(node, path, $"'{text}' is not an endpoint; expected {expectation}");
            return null;
        }
        var endpoint = new PortRef(parts[0], parts[1]);
        if (nodes is not null)
        {
            if (!nodes.TryGetValue(endpoint.Node, out var target))
            {
                values.Diagnostics.Error(node, path, $"unknown node '{endpoint.Node}'; expected one of {NameList.Format(nodes.Keys)}");
                return null;
            }
            // A node whose ports could not be read already has its own error; do not pile a second one on.
            if (target.Ports.Count > 0 && !target.HasPort(endpoint.Port))
            {
                values.Diagnostics.Error(node, path,
                    $"unknown port '{endpoint.Port}' on node '{endpoint.Node}'; expected one of {NameList.Format(target.Ports.Select(p => p.Name))}");
                return null;
            }
        }
        if (linkedPorts.TryGetValue(endpoint, out var other))
        {
            values.Diagnostics.Error(node, path,
                $"port {endpoint} is already linked by {other.Field} at {other.At.Position}; expected each port in at most one link");
            return endpoint;
        }
        linkedPorts.Add(endpoint, (path, node));
        return endpoint;
    }
}
