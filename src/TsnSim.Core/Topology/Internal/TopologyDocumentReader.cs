using System.Globalization;
using TsnSim.Core.Time;

namespace TsnSim.Core.Topology.Internal;

/// <summary>Turns the root mapping of a topology file into a <see cref="TopologyConfig"/>, one section reader per aspect.</summary>
internal static class TopologyDocumentReader
{
    public const ulong DefaultSeed = 1;

    /// <summary>The topology, or null when any error was reported (the diagnostics say why).</summary>
    public static TopologyConfig? Read(SourceNode root, string sourceName, DiagnosticCollector diagnostics)
    {
        var values = new ValueReader(diagnostics);
        if (root is not MappingSourceNode mapping)
        {
            diagnostics.Error(root, "", $"the top level must be a mapping with name, nodes and links, found {root.Description}");
            return null;
        }
        var fields = MappingFields.Check(mapping, "", TopologyFields.TopLevel, diagnostics);

        string? name = values.Required(fields, "name", "the topology's name, such as name: line") is { } nameNode
            ? values.Text(nameNode, "name", "the topology's name, a string")
            : null;
        var seed = fields["seed"] is { } seedNode ? ReadSeed(seedNode, values) : DefaultSeed;
        SimTime? duration = fields["duration"] is { } durationNode ? values.Duration(durationNode, "duration", allowZero: false) : null;
        var drain = new TopologyConfig("", 0, null, [], [], []).Drain;
        if (fields["drain"] is { } drainNode && values.Duration(drainNode, "drain", allowZero: true) is { } d) drain = d;

        var defaults = DefaultsSectionReader.Read(fields["defaults"], values);
        var ptp = fields["ptp"] is { } ptpNode ? PtpSectionReader.Read(ptpNode, values) : null;
        var nodes = NodeSectionReader.Read(fields, defaults, values);
        var nodesByName = nodes?.ToDictionary(n => n.Name, StringComparer.Ordinal);
        var linkedPorts = new Dictionary<PortRef, (string Field, SourceNode At)>();
        var links = LinkSectionReader.Read(fields["links"], nodesByName, defaults, linkedPorts, values);
        var streams = StreamSectionReader.Read(fields["streams"], nodesByName, values);

        foreach (var node in nodes ?? [])
            foreach (var port in node.Ports)
                if (!linkedPorts.ContainsKey(new PortRef(node.Name, port.Name)))
                    diagnostics.Warning(port.DeclaredAt, port.Field,
                        $"port {node.Name}:{port.Name} is not used by any link; frames sent there are lost (add a link or remove the port)");

        if (nodes is not null) EgressSectionReader.CheckAgainstLinks(nodes, links, streams, values);

        if (diagnostics.HasErrors || name is null || nodes is null) return null;
        return new TopologyConfig(name, seed, duration, [.. nodes.Select(n => n.Config!)], links, streams)
        {
            SourceName = sourceName,
            Drain = drain,
            Ptp = ptp,
        };
    }

    private static ulong ReadSeed(SourceNode node, ValueReader values)
    {
        const string expectation = "a seed, an integer from 0 to 18446744073709551615";
        var text = values.Text(node, "seed", expectation);
        if (text is null) return DefaultSeed;
        if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seed)) return seed;
        var problem = long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) ? "is negative" : "is not a non-negative integer";
        values.Diagnostics.Error(node, "seed", $"'{text}' {problem}; expected {expectation}");
        return DefaultSeed;
    }
}
