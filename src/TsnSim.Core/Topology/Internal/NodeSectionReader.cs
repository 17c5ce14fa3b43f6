using System.Globalization;
using System.Text.RegularExpressions;
using TsnSim.Core.Frames;
using TsnSim.Core.Time;

namespace TsnSim.Core.Topology.Internal;

/// <summary>Reads <c>nodes:</c>: each node's kind, ports, addresses and switch settings.</summary>
internal static partial class NodeSectionReader
{
    private const string NodesExpectation = "a mapping of node name to node, such as h1: { kind: host, ports: 1 }";
    private const string PortsExpectation = "a port count (1 to 4096), a list of port names, or a mapping of port name to { queue, pvid, vlans }";
    private const int MaximumPorts = 4096;

    /// <summary>Node names become container service and DNS names later, hence the conservative alphabet.</summary>
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_.-]*$")]
    private static partial Regex NodeNamePattern();

    /// <summary>Port names appear after the colon of <c>node:port</c>, so they must not hold a colon or blanks.</summary>
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_./-]*$")]
    private static partial Regex PortNamePattern();

    /// <summary>The nodes in file order, or null when the section is missing or not a mapping (references then go unchecked).</summary>
    public static IReadOnlyList<ParsedNode>? Read(MappingFields topLevel, TopologyDefaults defaults, ValueReader values)
    {
        var section = values.Required(topLevel, "nodes", NodesExpectation);
        if (section is null) return null;
        var mapping = values.Mapping(section, "nodes", NodesExpectation);
        if (mapping is null) return null;
        if (mapping.Entries.Count == 0)
            values.Diagnostics.Error(mapping, "nodes", $"no nodes; expected at least one, as {NodesExpectation}");

        var nodes = new List<ParsedNode>();
        var firstByName = new Dictionary<string, MappingEntry>(StringComparer.Ordinal);
        foreach (var entry in mapping.Entries)
        {
            if (entry.Key is not ScalarSourceNode { IsNull: false } key)
            {
                values.Diagnostics.Error(entry.Key, "nodes", $"a node name must be a plain word, found {entry.Key.Description}");
                continue;
            }
            var name = key.Value;
            var path = $"nodes.{name}";
            if (firstByName.TryGetValue(name, out var first))
            {
                values.Diagnostics.Error(entry.Key, path, $"duplicate node name '{name}'; first defined at {first.Key.Position}, and node names must be unique");
                continue;
            }
            firstByName.Add(name, entry);
            if (!NodeNamePattern().IsMatch(name))
                values.Diagnostics.Error(entry.Key, path,
                    $"node name '{name}' is not valid; expected a letter followed by letters, digits, '_', '.' or '-' (names become container service names)");
            nodes.Add(ReadNode(name, entry, nodes.Count, defaults, values));
        }
        return nodes;
    }

    private static ParsedNode ReadNode(string name, MappingEntry entry, int index, TopologyDefaults defaults, ValueReader values)
    {
        var path = $"nodes.{name}";
        var mapping = values.Mapping(entry.Value, path, "a mapping with at least kind and ports, such as { kind: host, ports: 1 }");
        if (mapping is null) return new ParsedNode(name, entry.Key, null, [], null);
        var fields = MappingFields.Check(mapping, path, TopologyFields.Node, values.Diagnostics);

        NodeKind? kind = null;
        if (values.Required(fields, "kind", "host or switch") is { } kindNode
            && values.Text(kindNode, fields.PathOf("kind"), "host or switch") is { } kindText)
        {
            kind = kindText switch { "host" => NodeKind.Host, "switch" => NodeKind.Switch, _ => null };
            if (kind is null)
            {
                var suggestion = NameSuggester.Suggest(kindText, ["host", "switch"]);
                var didYouMean = suggestion is null ? "" : $" did you mean '{suggestion}'?";
                values.Diagnostics.Error(kindNode, fields.PathOf("kind"), $"unknown node kind '{kindText}';{didYouMean} expected host or switch");
            }
        }

        if (kind == NodeKind.Host)
            foreach (var switchOnly in TopologyFields.SwitchOnly)
                if (fields.Entry(switchOnly) is { } misplaced)
                    values.Diagnostics.Error(misplaced.Key, fields.PathOf(switchOnly),
                        $"'{switchOnly}' applies only to switches and '{name}' is a host; expected for a host only kind, ports, mac, queue, clock, timestamps, ptp, egress, nic");
        if (kind == NodeKind.Switch && fields.Entry("nic") is { } nicOnSwitch)
            values.Diagnostics.Error(nicOnSwitch.Key, fields.PathOf("nic"), $"'nic' applies only to hosts and '{name}' is a switch; a switch's ports have egress classes (egress:) but no host stack to feed");

        int? nodeQueue = fields["queue"] is { } queueNode ? DefaultsSectionReader.ReadQueue(queueNode, fields.PathOf("queue"), values) : null;
        int queue = nodeQueue ?? defaults.QueueFor(kind ?? NodeKind.Host);

        var ports = new List<ParsedPort>();
        var portConfigs = new List<PortConfig>();
        if (values.Required(fields, "ports", PortsExpectation) is { } portsNode)
            ReadPorts(portsNode, fields.PathOf("ports"), queue, ports, portConfigs, values);
        // The node's egress settings hold for every port that has none of its own.
        if (fields["egress"] is { } egressNode && EgressSectionReader.Read(egressNode, fields.PathOf("egress"), values) is { } nodeEgress)
            for (int i = 0; i < portConfigs.Count; i++)
                if (portConfigs[i].Egress is null) portConfigs[i] = portConfigs[i] with { Egress = nodeEgress };

        // Locally administered (02:...) and numbered by file order, so addresses are stable and readable in a pcap.
        var mac = new MacAddress(0x0200_0000_0000UL + (ulong)(index + 1));
        if (fields["mac"] is { } macNode && values.Mac(macNode, fields.PathOf("mac")) is { } givenMac) mac = givenMac;

        var processing = defaults.SwitchProcessing;
        var aging = defaults.SwitchAging;
        IReadOnlyList<FdbEntryConfig> fdb = [];
        if (kind == NodeKind.Switch)
        {
            if (fields["processing"] is { } processingNode && values.Duration(processingNode, fields.PathOf("processing"), allowZero: true) is { } p) processing = p;
            if (fields["aging"] is { } agingNode && values.Duration(agingNode, fields.PathOf("aging"), allowZero: false) is { } a) aging = a;
            if (fields["fdb"] is { } fdbNode) fdb = ReadFdb(fdbNode, fields.PathOf("fdb"), name, ports, values);
        }

        var clock = fields["clock"] is { } clockNode ? ClockSectionReader.ReadClock(clockNode, fields.PathOf("clock"), defaults.Clock, values) : defaults.Clock;
        var timestamps = fields["timestamps"] is { } timestampsNode
            ? ClockSectionReader.ReadTimestamps(timestampsNode, fields.PathOf("timestamps"), defaults.Timestamps, values)
            : defaults.Timestamps;
        NodeConfig? config = kind is { } k
            ? new NodeConfig(name, k, portConfigs, mac)
            {
                Clock = clock,
                Timestamps = timestamps,
                Ptp = fields["ptp"] is { } ptpNode ? PtpSectionReader.ReadNode(ptpNode, fields.PathOf("ptp"), values) : TsnSim.Core.Ptp.NodePtpConfig.Default,
                ProcessingDelay = k == NodeKind.Switch ? processing : SimTime.Zero,
                FdbAgingTime = aging,
                Fdb = fdb,
                Nic = k == NodeKind.Host && fields["nic"] is { } nicNode ? NicSectionReader.Read(nicNode, fields.PathOf("nic"), values) : null,
            }
            : null;
        if (config?.Nic is { } nic) CheckTxQueues(config, nic, fields["nic"]!, fields.PathOf("nic"), values);
        return new ParsedNode(name, entry.Key, kind, ports, config);
    }

    /// <summary>A NIC host's traffic classes must name Tx queues its NIC has.</summary>
    private static void CheckTxQueues(NodeConfig config, Nic.NicConfig nic, SourceNode at, string path, ValueReader values)
    {
        foreach (var port in config.Ports)
            if (port.Egress is { } egress && egress.TxQueueCount > nic.TxQueues)
                values.Diagnostics.Error(at, $"{path}.tx_queues", $"port {port.Name}'s traffic classes use Tx queues 0 … {egress.TxQueueCount - 1} (queues count@offset), but the NIC has {nic.TxQueues}; expected tx_queues of at least {egress.TxQueueCount}");
    }

    private static void ReadPorts(SourceNode node, string path, int queue, List<ParsedPort> ports, List<PortConfig> configs, ValueReader values)
    {
        switch (node)
        {
            case ScalarSourceNode { IsNull: false } scalar when long.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _):
                if (values.Integer(scalar, path, 1, MaximumPorts, "a port count") is { } count)
                    for (int i = 0; i < count; i++)
                    {
                        var name = $"eth{i}";
                        ports.Add(new ParsedPort(name, scalar, path));
                        configs.Add(new PortConfig(name, queue, PortConfig.DefaultPvid, null));
                    }
                break;
            case SequenceSourceNode sequence:
                for (int i = 0; i < sequence.Items.Count; i++)
                {
                    var itemPath = $"{path}[{i}]";
                    if (values.Text(sequence.Items[i], itemPath, "a port name such as eth0") is { } name
                        && CheckPortName(name, sequence.Items[i], itemPath, ports, values))
                    {
                        ports.Add(new ParsedPort(name, sequence.Items[i], itemPath));
                        configs.Add(new PortConfig(name, queue, PortConfig.DefaultPvid, null));
                    }
                }
                if (sequence.Items.Count == 0) values.Diagnostics.Error(sequence, path, $"no ports; expected {PortsExpectation}");
                break;
            case MappingSourceNode mapping:
                foreach (var entry in mapping.Entries)
                {
                    var name = entry.Name;
                    var portPath = $"{path}.{name}";
                    if (!CheckPortName(name, entry.Key, portPath, ports, values)) continue;
                    ports.Add(new ParsedPort(name, entry.Key, portPath));
                    configs.Add(ReadPortSettings(name, entry.Value, portPath, queue, values));
                }
                if (mapping.Entries.Count == 0) values.Diagnostics.Error(mapping, path, $"no ports; expected {PortsExpectation}");
                break;
            default:
                values.Diagnostics.Error(node, path, $"expected {PortsExpectation}, found {node.Description}");
                break;
        }
    }

    private static bool CheckPortName(string name, SourceNode at, string path, List<ParsedPort> ports, ValueReader values)
    {
        if (ports.FirstOrDefault(p => p.Name == name) is { } first)
        {
            values.Diagnostics.Error(at, path, $"duplicate port name '{name}'; first declared at {first.DeclaredAt.Position}, and port names must be unique within a node");
            return false;
        }
        if (!PortNamePattern().IsMatch(name))
        {
            values.Diagnostics.Error(at, path, $"port name '{name}' is not valid; expected a letter or digit followed by letters, digits, '_', '.', '/' or '-'");
            return false;
        }
        return true;
    }

    private static PortConfig ReadPortSettings(string name, SourceNode node, string path, int queue, ValueReader values)
    {
        var port = new PortConfig(name, queue, PortConfig.DefaultPvid, null);
        // "eth0:" with nothing after it reads as null and means "all defaults", like "eth0: {}".
        if (node is ScalarSourceNode { IsNull: true }) return port;
        var mapping = values.Mapping(node, path, "a mapping with any of queue, pvid, vlans, egress (or {} for defaults)");
        if (mapping is null) return port;
        var fields = MappingFields.Check(mapping, path, TopologyFields.Port, values.Diagnostics);
        if (fields["queue"] is { } queueNode && DefaultsSectionReader.ReadQueue(queueNode, fields.PathOf("queue"), values) is { } q)
            port = port with { QueueCapacity = q };
        if (fields["pvid"] is { } pvidNode && values.Integer(pvidNode, fields.PathOf("pvid"), 1, 4094, "a VLAN ID") is { } pvid)
            port = port with { Pvid = (ushort)pvid };
        if (fields["vlans"] is { } vlansNode && values.Sequence(vlansNode, fields.PathOf("vlans"), "a list of VLAN IDs from 1 to 4094, such as [10, 20]") is { } vlanList)
        {
            var vlans = new HashSet<ushort>();
            for (int i = 0; i < vlanList.Items.Count; i++)
                if (values.Integer(vlanList.Items[i], $"{fields.PathOf("vlans")}[{i}]", 1, 4094, "a VLAN ID") is { } vid)
                    vlans.Add((ushort)vid);
            port = port with { Vlans = vlans };
        }
        if (fields["egress"] is { } egressNode && EgressSectionReader.Read(egressNode, fields.PathOf("egress"), values) is { } egress)
            port = port with { Egress = egress };
        return port;
    }

    private static IReadOnlyList<FdbEntryConfig> ReadFdb(SourceNode node, string path, string nodeName, List<ParsedPort> ports, ValueReader values)
    {
        var list = values.Sequence(node, path, "a list of entries such as { mac: \"02:00:00:00:00:02\", port: eth1 }");
        if (list is null) return [];
        var entries = new List<FdbEntryConfig>();
        for (int i = 0; i < list.Items.Count; i++)
        {
            var entryPath = $"{path}[{i}]";
            var mapping = values.Mapping(list.Items[i], entryPath, "a mapping with mac, port (or ports) and optionally vlan");
            if (mapping is null) continue;
            var fields = MappingFields.Check(mapping, entryPath, TopologyFields.FdbEntry, values.Diagnostics);
            MacAddress? mac = values.Required(fields, "mac", "the destination MAC address") is { } macNode ? values.Mac(macNode, fields.PathOf("mac")) : null;
            ushort vlan = PortConfig.DefaultPvid;
            if (fields["vlan"] is { } vlanNode && values.Integer(vlanNode, fields.PathOf("vlan"), 1, 4094, "a VLAN ID") is { } vid) vlan = (ushort)vid;

            var egress = new List<string>();
            var portNode = fields["port"];
            var portsNode = fields["ports"];
            if (portNode is not null && portsNode is not null)
                values.Diagnostics.Error(fields.Entry("ports")!.Key, fields.PathOf("ports"), "both 'port' and 'ports' are given; expected exactly one of them");
            else if (portNode is null && portsNode is null)
                values.Diagnostics.Error(mapping, fields.PathOf("port"), "missing required field 'port'; expected the egress port (port: eth1) or several (ports: [eth1, eth2])");
            else if (portNode is not null)
                AddFdbPort(portNode, fields.PathOf("port"), nodeName, ports, egress, values);
            else if (values.Sequence(portsNode!, fields.PathOf("ports"), "a list of port names such as [eth1, eth2]") is { } portList)
            {
                for (int j = 0; j < portList.Items.Count; j++)
                    AddFdbPort(portList.Items[j], $"{fields.PathOf("ports")}[{j}]", nodeName, ports, egress, values);
                if (portList.Items.Count == 0)
                    values.Diagnostics.Error(portList, fields.PathOf("ports"), "no ports; expected at least one egress port");
            }
            if (mac is { } address) entries.Add(new FdbEntryConfig(address, vlan, egress));
        }
        return entries;
    }

    private static void AddFdbPort(SourceNode node, string path, string nodeName, List<ParsedPort> ports, List<string> egress, ValueReader values)
    {
        var name = values.Text(node, path, "a port name of this node");
        if (name is null) return;
        if (ports.Any(p => p.Name == name)) egress.Add(name);
        else values.Diagnostics.Error(node, path, $"unknown port '{name}' on node '{nodeName}'; expected one of {NameList.Format(ports.Select(p => p.Name))}");
    }
}
