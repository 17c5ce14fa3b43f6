using System.Globalization;
using TsnSim.Core.Frames;
using TsnSim.Core.Nic;
using TsnSim.Core.Time;

namespace TsnSim.Core.Topology.Internal;

/// <summary>Reads a host's <c>nic:</c>: its Rx queues, rings and buffer pool, cores and costs, RSS and its changes, steering rules and theirs, neighbour offload and power.</summary>
internal static class NicSectionReader
{
    private const string Expectation = "a mapping with rx_queues and optionally ring, buffers, cores, queue_cores, cost, tx_queues, tx_ring, tx_backlog, tx_queue_cores, tx_cost, rss, rss_changes, rsc, rules, rule_changes, addresses, power, wake";

    public static NicConfig? Read(SourceNode node, string path, ValueReader values)
    {
        var mapping = values.Mapping(node, path, Expectation);
        if (mapping is null) return null;
        var fields = MappingFields.Check(mapping, path, TopologyFields.Nic, values.Diagnostics);
        int queues = 1;
        if (fields["rx_queues"] is { } queuesNode && values.Integer(queuesNode, fields.PathOf("rx_queues"), 1, NicConfig.MaximumQueues, "an Rx queue count") is { } q) queues = (int)q;
        var config = new NicConfig(queues, RssSettings.Default(queues));
        if (fields["ring"] is { } ringNode && values.Integer(ringNode, fields.PathOf("ring"), 1, 65536, "descriptors per Rx ring") is { } ring)
            config = config with { RingSize = (int)ring };
        if (fields["buffers"] is { } buffersNode && values.Mapping(buffersNode, fields.PathOf("buffers"), "a mapping with count and size, such as { count: 4096, size: 2048 }") is { } buffers)
        {
            var b = MappingFields.Check(buffers, fields.PathOf("buffers"), TopologyFields.NicBuffers, values.Diagnostics);
            if (b["count"] is { } countNode && values.Integer(countNode, b.PathOf("count"), 1, 1 << 24, "a number of buffers") is { } count) config = config with { BufferCount = (int)count };
            if (b["size"] is { } sizeNode && values.Integer(sizeNode, b.PathOf("size"), 64, 65536, "bytes per buffer") is { } size) config = config with { BufferSize = (int)size };
        }
        if (fields["cores"] is { } coresNode && values.Integer(coresNode, fields.PathOf("cores"), 1, 256, "a number of host cores") is { } cores)
            config = config with { Cores = (int)cores };
        if (fields["queue_cores"] is { } mapNode) config = config with { QueueCores = ReadQueueCores(mapNode, fields.PathOf("queue_cores"), config.RxQueues, "Rx", config.Cores, values) };
        if (fields["cost"] is { } costNode && ReadCost(costNode, fields.PathOf("cost"), values) is var (perPacket, perByte))
            config = config with { PerPacketCost = perPacket ?? config.PerPacketCost, PerByteCost = perByte ?? config.PerByteCost };
        if (fields["tx_queues"] is { } txNode && values.Integer(txNode, fields.PathOf("tx_queues"), 1, NicConfig.MaximumQueues, "a Tx queue count") is { } tx)
            config = config with { TxQueueCountSetting = (int)tx };
        if (fields["tx_ring"] is { } txRingNode && values.Integer(txRingNode, fields.PathOf("tx_ring"), 1, 65536, "descriptors per Tx ring") is { } txRing)
            config = config with { TxRingSize = (int)txRing };
        if (fields["tx_backlog"] is { } backlogNode && values.Integer(backlogNode, fields.PathOf("tx_backlog"), 0, 1 << 20, "packets the host stack holds per Tx queue") is { } backlog)
            config = config with { TxBacklog = (int)backlog };
        if (fields["tx_queue_cores"] is { } txMapNode) config = config with { TxQueueCores = ReadQueueCores(txMapNode, fields.PathOf("tx_queue_cores"), config.TxQueues, "Tx", config.Cores, values) };
        if (fields["tx_cost"] is { } txCostNode && ReadCost(txCostNode, fields.PathOf("tx_cost"), values) is var (txPerPacket, txPerByte))
            config = config with { TxPerPacketCost = txPerPacket ?? config.TxPerPacketCost, TxPerByteCost = txPerByte ?? config.TxPerByteCost };
        if (fields["rss"] is { } rssNode) config = config with { Rss = ReadRss(rssNode, fields.PathOf("rss"), queues, values) };
        if (fields["rss_changes"] is { } changesNode) config = config with { RssChanges = ReadChanges(changesNode, fields.PathOf("rss_changes"), queues, values) };
        if (fields["rule_changes"] is { } ruleChangesNode) config = config with { RuleChanges = ReadRuleChanges(ruleChangesNode, fields.PathOf("rule_changes"), queues, values) };
        if (fields["rsc"] is { } rscNode) config = config with { Rsc = ReadRsc(rscNode, fields.PathOf("rsc"), queues, values) };
        if (fields["rules"] is { } rulesNode) config = config with { Rules = ReadRules(rulesNode, fields.PathOf("rules"), queues, values, wake: false) };
        if (fields["addresses"] is { } addressesNode) config = config with { Addresses = ReadAddresses(addressesNode, fields.PathOf("addresses"), values) };
        if (fields["power"] is { } powerNode) config = config with { PowerChanges = ReadPower(powerNode, fields.PathOf("power"), values) };
        if (fields["wake"] is { } wakeNode) config = config with { WakePatterns = ReadRules(wakeNode, fields.PathOf("wake"), queues, values, wake: true) };
        if (config.Rss.UnhashedQueue >= queues)
            values.Diagnostics.Error(fields["rss"] ?? mapping, fields.PathOf("rss.unhashed_queue"), $"queue {config.Rss.UnhashedQueue} does not exist; expected a queue from 0 to {queues - 1}");
        return config;
    }

    /// <summary><c>rsc: true</c>, or <c>{ queues: [0, 1], flush: 20us, contexts: 8 }</c>.</summary>
    private static RscConfig? ReadRsc(SourceNode node, string path, int queues, ValueReader values)
    {
        var rsc = new RscConfig(null, RscConfig.DefaultFlushTimeout, RscConfig.DefaultContexts);
        if (node is ScalarSourceNode) return values.Boolean(node, path) == true ? rsc : null;
        if (values.Mapping(node, path, "true, false, or a mapping with any of queues, flush, contexts") is not { } mapping) return null;
        var fields = MappingFields.Check(mapping, path, TopologyFields.Rsc, values.Diagnostics);
        if (fields["queues"] is { } queuesNode && values.Sequence(queuesNode, fields.PathOf("queues"), "a list of Rx queues, such as [0, 1]") is { } list)
        {
            var set = new HashSet<int>();
            for (int i = 0; i < list.Items.Count; i++)
                if (values.Integer(list.Items[i], $"{fields.PathOf("queues")}[{i}]", 0, queues - 1, $"an Rx queue of the {queues}") is { } q) set.Add((int)q);
            rsc = rsc with { Queues = set };
        }
        if (fields["flush"] is { } flushNode && values.Duration(flushNode, fields.PathOf("flush"), allowZero: false) is { } flush) rsc = rsc with { FlushTimeout = flush };
        if (fields["contexts"] is { } contextsNode && values.Integer(contextsNode, fields.PathOf("contexts"), 1, 255, "coalescing contexts per queue") is { } contexts)
            rsc = rsc with { Contexts = (int)contexts };
        return rsc;
    }

    /// <summary>The core of each of <paramref name="queues"/> queues (<paramref name="side"/>: Rx or Tx).</summary>
    private static IReadOnlyList<int>? ReadQueueCores(SourceNode node, string path, int queues, string side, int hostCores, ValueReader values)
    {
        if (values.Sequence(node, path, $"a list of {queues} core numbers, one per {side} queue, such as [0, 1]") is not { } list) return null;
        if (list.Items.Count != queues)
        {
            values.Diagnostics.Error(list, path, $"{list.Items.Count} entries for {queues} {side} queues; expected one core per queue");
            return null;
        }
        var cores = new int[list.Items.Count];
        for (int i = 0; i < cores.Length; i++)
            cores[i] = (int)(values.Integer(list.Items[i], $"{path}[{i}]", 0, hostCores - 1, $"a core of the host's {hostCores}") ?? 0);
        return cores;
    }

    /// <summary><c>{ per_packet: 2us, per_byte: 1ns }</c>: either may be left out (null).</summary>
    private static (SimTime? PerPacket, SimTime? PerByte)? ReadCost(SourceNode node, string path, ValueReader values)
    {
        if (values.Mapping(node, path, "a mapping with per_packet and per_byte durations, such as { per_packet: 2us, per_byte: 1ns }") is not { } cost) return null;
        var c = MappingFields.Check(cost, path, TopologyFields.NicCost, values.Diagnostics);
        var perPacket = c["per_packet"] is { } p ? values.Duration(p, c.PathOf("per_packet"), allowZero: true) : null;
        var perByte = c["per_byte"] is { } b ? values.Duration(b, c.PathOf("per_byte"), allowZero: true) : null;
        return (perPacket, perByte);
    }

    private static RssSettings ReadRss(SourceNode node, string path, int queues, ValueReader values)
    {
        var rss = RssSettings.Default(queues);
        if (values.Mapping(node, path, "a mapping with any of enabled, hash_types, key, table_size, table, unhashed_queue") is not { } mapping) return rss;
        var fields = MappingFields.Check(mapping, path, TopologyFields.Rss, values.Diagnostics);
        if (fields["enabled"] is { } enabledNode && values.Boolean(enabledNode, fields.PathOf("enabled")) is { } enabled) rss = rss with { Enabled = enabled };
        if (fields["hash_types"] is { } typesNode) rss = rss with { HashTypes = ReadHashTypes(typesNode, fields.PathOf("hash_types"), values) };
        if (fields["key"] is { } keyNode && ReadKey(keyNode, fields.PathOf("key"), values) is { } key) rss = rss with { Key = key };
        int size = RssIndirectionTable.DefaultSize;
        if (fields["table_size"] is { } sizeNode && values.Integer(sizeNode, fields.PathOf("table_size"), 1, 65536, "a power of two of indirection table entries") is { } s)
        {
            if ((s & (s - 1)) != 0) values.Diagnostics.Error(sizeNode, fields.PathOf("table_size"), $"{s} is not a power of two; expected 1, 2, 4 … 128 (the default) … 65536");
            else size = (int)s;
        }
        rss = rss with { Table = RssIndirectionTable.Spread(size, queues).Entries };
        if (fields["table"] is { } tableNode && ReadTable(tableNode, fields.PathOf("table"), queues, values) is { } table)
        {
            if (fields["table_size"] is { } given && table.Count != size)
                values.Diagnostics.Error(given, fields.PathOf("table_size"), $"table_size {size} but the table has {table.Count} entries; expected them to agree (or give one of the two)");
            rss = rss with { Table = table };
        }
        if (fields["unhashed_queue"] is { } unhashedNode && values.Integer(unhashedNode, fields.PathOf("unhashed_queue"), 0, NicConfig.MaximumQueues - 1, "an Rx queue") is { } u)
            rss = rss with { UnhashedQueue = (int)u };
        return rss;
    }

    private static RssHashType ReadHashTypes(SourceNode node, string path, ValueReader values)
    {
        var names = string.Join(", ", RssHashTypeNames.Each.Select(e => e.Name));
        if (values.Sequence(node, path, $"a list of hash types from {names}") is not { } list) return RssHashType.All;
        var types = RssHashType.None;
        for (int i = 0; i < list.Items.Count; i++)
        {
            if (values.Text(list.Items[i], $"{path}[{i}]", $"a hash type, one of {names}") is not { } name) continue;
            if (RssHashTypeNames.Parse(name) is { } type) types |= type;
            else
            {
                var suggestion = NameSuggester.Suggest(name, RssHashTypeNames.Each.Select(e => e.Name).ToArray());
                values.Diagnostics.Error(list.Items[i], $"{path}[{i}]", $"unknown hash type '{name}';{(suggestion is null ? "" : $" did you mean '{suggestion}'?")} expected one of {names}");
            }
        }
        return types;
    }

    private static byte[]? ReadKey(SourceNode node, string path, ValueReader values)
    {
        if (values.Text(node, path, $"an RSS key of {ToeplitzHash.KeyBytes} bytes in hex") is not { } text) return null;
        if (RssKeyText.TryParse(text, out var key, out var error)) return key;
        values.Diagnostics.Error(node, path, error);
        return null;
    }

    private static IReadOnlyList<int>? ReadTable(SourceNode node, string path, int queues, ValueReader values)
    {
        if (values.Sequence(node, path, "a list of Rx queue numbers, a power of two of them, such as [0, 1, 2, 3]") is not { } list) return null;
        int count = list.Items.Count;
        if (count == 0 || (count & (count - 1)) != 0)
        {
            values.Diagnostics.Error(list, path, $"{count} entries; an indirection table has a power of two entries (1, 2, 4 … 128 …)");
            return null;
        }
        var table = new int[count];
        bool ok = true;
        for (int i = 0; i < count; i++)
        {
            if (values.Integer(list.Items[i], $"{path}[{i}]", 0, queues - 1, $"an Rx queue of the {queues}") is { } q) table[i] = (int)q;
            else ok = false;
        }
        return ok ? table : null;
    }

    private static IReadOnlyList<RssChange> ReadChanges(SourceNode node, string path, int queues, ValueReader values) =>
        ReadTimed(node, path, "a list of changes such as - { at: 10ms, key: \"6d5a…\", table: [0, 1] }", "a mapping with at and a key, a table or both",
            TopologyFields.RssChange, "when the change takes effect, such as 10ms", values, (fields, at) =>
            {
                byte[]? key = fields["key"] is { } keyNode ? ReadKey(keyNode, fields.PathOf("key"), values) : null;
                IReadOnlyList<int>? table = fields["table"] is { } tableNode ? ReadTable(tableNode, fields.PathOf("table"), queues, values) : null;
                if (!fields.Has("key") && !fields.Has("table"))
                    values.Diagnostics.Error(fields.Mapping, fields.Path, "changes nothing; expected a key, a table or both");
                return at is { } time && (key is not null || table is not null) ? new RssChange(time, key, table) : null;
            }).OrderBy(c => c.At).ToArray();

    /// <summary><c>- { at: 10ms, rules: [...] }</c>: each a whole new list of steering rules (empty: none).</summary>
    private static IReadOnlyList<FlowRuleChange> ReadRuleChanges(SourceNode node, string path, int queues, ValueReader values) =>
        ReadTimed(node, path, "a list of changes such as - { at: 10ms, rules: [{ proto: udp, dst_port: 319, queue: 3 }] }", "a mapping with at and rules",
            TopologyFields.RuleChange, "when the new rules take effect, such as 10ms", values, (fields, at) =>
            {
                var rules = values.Required(fields, "rules", "the new list of rules, or [] for none") is { } rulesNode
                    ? ReadRules(rulesNode, fields.PathOf("rules"), queues, values, wake: false) : null;
                return at is { } time && rules is not null ? new FlowRuleChange(time, rules) : null;
            }).OrderBy(c => c.At).ToArray();

    /// <summary>
    /// A list of mappings that each take effect at their <c>at</c>; <paramref name="read"/> reads
    /// one's other fields, given its time (null when unusable), and gives the change or null.
    /// </summary>
    private static List<T> ReadTimed<T>(SourceNode node, string path, string listExpectation, string itemExpectation, IReadOnlyList<string> known,
        string atExpectation, ValueReader values, Func<MappingFields, SimTime?, T?> read) where T : class
    {
        var changes = new List<T>();
        if (values.Sequence(node, path, listExpectation) is not { } list) return changes;
        for (int i = 0; i < list.Items.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            if (values.Mapping(list.Items[i], itemPath, itemExpectation) is not { } mapping) continue;
            var fields = MappingFields.Check(mapping, itemPath, known, values.Diagnostics);
            SimTime? at = values.Required(fields, "at", atExpectation) is { } atNode ? values.Duration(atNode, fields.PathOf("at"), allowZero: true) : null;
            if (read(fields, at) is { } change) changes.Add(change);
        }
        return changes;
    }

    private static IReadOnlyList<System.Net.IPAddress> ReadAddresses(SourceNode node, string path, ValueReader values)
    {
        if (values.Sequence(node, path, "a list of the host's IP addresses, such as [\"10.0.0.100\", \"fe80::100\"]") is not { } list) return [];
        var addresses = new List<System.Net.IPAddress>();
        for (int i = 0; i < list.Items.Count; i++)
            if (ReadAddress(list.Items[i], $"{path}[{i}]", values) is { } endpoint) addresses.Add(endpoint.Address);
        return addresses;
    }

    private static IReadOnlyList<PowerChange> ReadPower(SourceNode node, string path, ValueReader values) =>
        ReadTimed(node, path, "a list of changes such as - { at: 10ms, state: d3 }", "a mapping with at and state",
            TopologyFields.PowerChange, "when the host changes state, such as 10ms", values, (fields, at) =>
            {
                PowerState? state = null;
                if (values.Required(fields, "state", "d0 (working) or d3 (asleep)") is { } stateNode && values.Text(stateNode, fields.PathOf("state"), "d0 or d3") is { } text)
                {
                    state = text switch { "d0" => PowerState.D0, "d3" => PowerState.D3, _ => null };
                    if (state is null) values.Diagnostics.Error(stateNode, fields.PathOf("state"), $"'{text}' is not a power state; expected d0 (working) or d3 (asleep: the NIC answers ARP and NS and wakes the host on a pattern)");
                }
                return at is { } t && state is { } st ? new PowerChange(t, st) : null;
            }).OrderBy(c => c.At).ToArray();

    /// <summary>Steering rules (or, with <paramref name="wake"/>, wake patterns, which have no queue); also what <see cref="FlowRuleReader"/> reads the traffic API's with.</summary>
    internal static IReadOnlyList<FlowRule> ReadRules(SourceNode node, string path, int queues, ValueReader values, bool wake)
    {
        if (values.Sequence(node, path, wake ? "a list of wake patterns such as - { proto: tcp, dst_port: 22 }" : "a list of rules such as - { proto: udp, dst_port: 319, queue: 3 }") is not { } list) return [];
        var rules = new List<FlowRule>();
        for (int i = 0; i < list.Items.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            if (values.Mapping(list.Items[i], itemPath, "a mapping with queue and the fields to match") is not { } mapping) continue;
            var fields = MappingFields.Check(mapping, itemPath, wake ? TopologyFields.WakePattern : TopologyFields.FlowRule, values.Diagnostics);
            int? queue = wake ? 0 : values.Required(fields, "queue", "the Rx queue matching packets go to") is { } queueNode
                ? (int?)values.Integer(queueNode, fields.PathOf("queue"), 0, queues - 1, $"an Rx queue of the {queues}") : null;
            var name = fields["name"] is { } nameNode ? values.Text(nameNode, fields.PathOf("name"), "a rule name") : null;
            var rule = new FlowRule(name ?? $"rule{i}", queue ?? 0);
            if (fields["ethertype"] is { } typeNode && ReadEtherType(typeNode, fields.PathOf("ethertype"), values) is { } etherType) rule = rule with { EtherType = etherType };
            if (fields["vlan"] is { } vlanNode && values.Integer(vlanNode, fields.PathOf("vlan"), 0, 4094, "a VLAN ID") is { } vlan) rule = rule with { Vlan = (ushort)vlan };
            if (fields["pcp"] is { } pcpNode && values.Integer(pcpNode, fields.PathOf("pcp"), 0, 7, "a priority code point") is { } pcp) rule = rule with { Pcp = (byte)pcp };
            if (fields["proto"] is { } protoNode && values.Text(protoNode, fields.PathOf("proto"), "tcp, udp or an IP protocol number") is { } proto)
            {
                byte? number = proto switch { "tcp" => IpProtocols.Tcp, "udp" => IpProtocols.Udp, _ => byte.TryParse(proto, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null };
                if (number is null) values.Diagnostics.Error(protoNode, fields.PathOf("proto"), $"'{proto}' is not a protocol; expected tcp, udp or an IP protocol number from 0 to 255");
                else rule = rule with { Protocol = number };
            }
            if (fields["src"] is { } srcNode && ReadAddress(srcNode, fields.PathOf("src"), values, "src_port") is { } src) rule = rule with { SourceAddress = src.Address };
            if (fields["dst"] is { } dstNode && ReadAddress(dstNode, fields.PathOf("dst"), values, "dst_port") is { } dst) rule = rule with { DestinationAddress = dst.Address };
            if (fields["src_port"] is { } spNode && values.Integer(spNode, fields.PathOf("src_port"), 0, 65535, "a port") is { } sp) rule = rule with { SourcePort = (ushort)sp };
            if (fields["dst_port"] is { } dpNode && values.Integer(dpNode, fields.PathOf("dst_port"), 0, 65535, "a port") is { } dp) rule = rule with { DestinationPort = (ushort)dp };
            if (queue is not null) rules.Add(rule);
        }
        return rules;
    }

    private static ushort? ReadEtherType(SourceNode node, string path, ValueReader values)
    {
        if (values.Text(node, path, "an EtherType such as 0x88f7") is not { } text) return null;
        var digits = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        if (ushort.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value) && text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) return value;
        if (ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value)) return value;
        values.Diagnostics.Error(node, path, $"'{text}' is not an EtherType; expected a 16-bit value such as 0x88f7 or 34525");
        return null;
    }

    /// <summary>An IP address without a port; <paramref name="portField"/> names the field where a rule's port goes.</summary>
    private static FlowEndpoint? ReadAddress(SourceNode node, string path, ValueReader values, string? portField = null)
    {
        if (values.Text(node, path, "an IP address such as 10.0.0.1 or fe80::1") is not { } text) return null;
        if (!FlowEndpoint.TryParse(text, withPort: false, out var endpoint, out var error))
        {
            values.Diagnostics.Error(node, path, error);
            return null;
        }
        // FlowEndpoint takes an optional port, which a rule would silently ignore.
        if (text.StartsWith('[') || text.Count(c => c == ':') == 1)
        {
            values.Diagnostics.Error(node, path, $"'{text}' has a port; expected an IP address alone, such as 10.0.0.1 or fe80::1{(portField is null ? "" : $" (the port goes in {portField})")}");
            return null;
        }
        return endpoint;
    }
}
