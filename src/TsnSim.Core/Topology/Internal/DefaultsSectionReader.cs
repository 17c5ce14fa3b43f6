using TsnSim.Core.Time;

namespace TsnSim.Core.Topology.Internal;

/// <summary>Reads <c>defaults:</c>, the values nodes and links inherit when they do not set their own.</summary>
internal static class DefaultsSectionReader
{
    public static TopologyDefaults Read(SourceNode? section, ValueReader values)
    {
        var defaults = TopologyDefaults.BuiltIn;
        if (section is null) return defaults;
        var mapping = values.Mapping(section, "defaults", "a mapping with any of link, host, switch, clock, timestamps");
        if (mapping is null) return defaults;
        var fields = MappingFields.Check(mapping, "defaults", TopologyFields.Defaults, values.Diagnostics);

        if (fields["link"] is { } linkNode && values.Mapping(linkNode, "defaults.link", "a mapping with rate and/or delay") is { } linkMapping)
        {
            var link = MappingFields.Check(linkMapping, "defaults.link", TopologyFields.LinkDefaults, values.Diagnostics);
            if (link["rate"] is { } rate && values.Rate(rate, link.PathOf("rate"), DataRate.Minimum, DataRate.Maximum) is { } linkRate)
                defaults = defaults with { LinkRate = linkRate };
            if (link["delay"] is { } delay && values.Duration(delay, link.PathOf("delay"), allowZero: false) is { } linkDelay)
                defaults = defaults with { LinkDelay = linkDelay };
        }
        if (fields["host"] is { } hostNode && values.Mapping(hostNode, "defaults.host", "a mapping with queue") is { } hostMapping)
        {
            var host = MappingFields.Check(hostMapping, "defaults.host", TopologyFields.HostDefaults, values.Diagnostics);
            if (host["queue"] is { } queue && ReadQueue(queue, host.PathOf("queue"), values) is { } hostQueue)
                defaults = defaults with { HostQueue = hostQueue };
        }
        if (fields["switch"] is { } switchNode && values.Mapping(switchNode, "defaults.switch", "a mapping with any of processing, queue, aging") is { } switchMapping)
        {
            var bridge = MappingFields.Check(switchMapping, "defaults.switch", TopologyFields.SwitchDefaults, values.Diagnostics);
            if (bridge["processing"] is { } processing && values.Duration(processing, bridge.PathOf("processing"), allowZero: true) is { } switchProcessing)
                defaults = defaults with { SwitchProcessing = switchProcessing };
            if (bridge["queue"] is { } queue && ReadQueue(queue, bridge.PathOf("queue"), values) is { } switchQueue)
                defaults = defaults with { SwitchQueue = switchQueue };
            if (bridge["aging"] is { } aging && values.Duration(aging, bridge.PathOf("aging"), allowZero: false) is { } switchAging)
                defaults = defaults with { SwitchAging = switchAging };
        }
        if (fields["clock"] is { } clockNode)
            defaults = defaults with { Clock = ClockSectionReader.ReadClock(clockNode, "defaults.clock", defaults.Clock, values) };
        if (fields["timestamps"] is { } timestampsNode)
            defaults = defaults with { Timestamps = ClockSectionReader.ReadTimestamps(timestampsNode, "defaults.timestamps", defaults.Timestamps, values) };
        return defaults;
    }

    /// <summary>Queue capacities share one rule wherever they appear: at least one frame.</summary>
    public static int? ReadQueue(SourceNode node, string field, ValueReader values) =>
        (int?)values.Integer(node, field, 1, 1_000_000, "a queue capacity in frames");
}
