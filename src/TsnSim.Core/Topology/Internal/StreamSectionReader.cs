using TsnSim.Core.Frames;
using TsnSim.Core.Time;

namespace TsnSim.Core.Topology.Internal;

/// <summary>Reads <c>streams:</c>, the periodic talker streams between hosts.</summary>
internal static class StreamSectionReader
{
    public const int MinimumFrameSize = 64;
    public const int MaximumFrameSize = 9216;
    public const int DefaultFrameSize = 64;

    /// <summary>The largest standard 802.1Q-tagged frame; anything above needs jumbo support on every hop.</summary>
    public const int LargestStandardFrame = 1522;

    /// <summary>Preamble, start-of-frame delimiter and the minimum inter-frame gap: wire bytes beyond the frame itself.</summary>
    public const int WireOverheadBytes = 8 + 12;

    private const string StreamsExpectation = "a list of streams such as - { name: control, talker: h1, listeners: [h2], period: 100us }";

    public static IReadOnlyList<StreamConfig> Read(SourceNode? section, IReadOnlyDictionary<string, ParsedNode>? nodes, ValueReader values)
    {
        if (section is null) return [];
        var list = values.Sequence(section, "streams", StreamsExpectation);
        if (list is null) return [];
        var streams = new List<StreamConfig>();
        var firstByName = new Dictionary<string, (string Field, SourceNode At)>(StringComparer.Ordinal);
        for (int i = 0; i < list.Items.Count; i++)
        {
            var path = $"streams[{i}]";
            var mapping = values.Mapping(list.Items[i], path, "a mapping with name, talker, listeners and period or rate");
            if (mapping is null) continue;
            if (ReadStream(MappingFields.Check(mapping, path, TopologyFields.Stream, values.Diagnostics), nodes, firstByName, values) is { } stream)
                streams.Add(stream);
        }
        return streams;
    }

    private static StreamConfig? ReadStream(
        MappingFields fields,
        IReadOnlyDictionary<string, ParsedNode>? nodes,
        Dictionary<string, (string Field, SourceNode At)> firstByName,
        ValueReader values)
    {
        var diagnostics = values.Diagnostics;
        string? name = null;
        if (values.Required(fields, "name", "a unique stream name") is { } nameNode && values.Text(nameNode, fields.PathOf("name"), "a unique stream name") is { } n)
        {
            if (firstByName.TryGetValue(n, out var first))
                diagnostics.Error(nameNode, fields.PathOf("name"), $"duplicate stream name '{n}'; first used by {first.Field} at {first.At.Position}, and stream names must be unique");
            else
                firstByName.Add(n, (fields.Path, nameNode));
            name = n;
        }

        var hostList = nodes is null ? "" : $" (one of {NameList.Format(nodes.Values.Where(v => v.Kind == NodeKind.Host).Select(v => v.Name))})";
        string? talker = null;
        if (values.Required(fields, "talker", $"the name of the host that sends the stream{hostList}") is { } talkerNode)
            talker = ReadHost(talkerNode, fields.PathOf("talker"), "talker", nodes, values);

        string? talkerPort = null;
        if (fields["port"] is { } portNode && values.Text(portNode, fields.PathOf("port"), "a port name of the talker") is { } port)
        {
            talkerPort = port;
            if (talker is not null && nodes is not null && nodes[talker] is { Ports.Count: > 0 } talkerNodeInfo && !talkerNodeInfo.HasPort(port))
                diagnostics.Error(portNode, fields.PathOf("port"),
                    $"unknown port '{port}' on talker '{talker}'; expected one of {NameList.Format(talkerNodeInfo.Ports.Select(p => p.Name))}");
        }

        var listeners = ReadListeners(fields, talker, nodes, hostList, values);

        int size = DefaultFrameSize;
        if (fields["size"] is { } sizeNode && values.Integer(sizeNode, fields.PathOf("size"), MinimumFrameSize, MaximumFrameSize, "a frame size in bytes including header and FCS") is { } s)
        {
            size = (int)s;
            if (size > LargestStandardFrame)
                diagnostics.Warning(sizeNode, fields.PathOf("size"),
                    $"frame size {size} exceeds {LargestStandardFrame} bytes, the largest standard tagged frame; every port on the path must accept jumbo frames");
        }

        SimTime? period = null;
        var periodNode = fields["period"];
        var rateNode = fields["rate"];
        if (periodNode is not null && rateNode is not null)
            diagnostics.Error(fields.Entry("rate")!.Key, fields.PathOf("rate"), "both 'period' and 'rate' are given; expected exactly one of them");
        else if (periodNode is null && rateNode is null)
            diagnostics.Error(fields.Mapping, fields.PathOf("period"), "missing 'period' or 'rate'; expected exactly one, such as period: 100us or rate: 500Mbps");
        else if (periodNode is not null)
            period = values.Duration(periodNode, fields.PathOf("period"), allowZero: false);
        else if (values.Rate(rateNode!, fields.PathOf("rate")) is { } rate)
            // The rate counts what the stream occupies on the wire, so the preamble and gap are included.
            period = rate.TimeFor(size + WireOverheadBytes);

        ushort? vlan = fields["vlan"] is { } vlanNode ? (ushort?)values.Integer(vlanNode, fields.PathOf("vlan"), 0, 4094, "a VLAN ID (0 for priority-tagged)") : null;
        byte pcp = fields["pcp"] is { } pcpNode ? (byte)(values.Integer(pcpNode, fields.PathOf("pcp"), 0, 7, "a priority code point") ?? 0) : (byte)0;
        bool dei = fields["dei"] is { } deiNode && (values.Boolean(deiNode, fields.PathOf("dei")) ?? false);

        var start = SimTime.Zero;
        bool randomStart = false;
        if (fields["start"] is { } startNode)
        {
            if (startNode is ScalarSourceNode { Value: "random" }) randomStart = true;
            else if (values.Duration(startNode, fields.PathOf("start"), allowZero: true) is { } offset) start = offset;
        }

        long? count = fields["count"] is { } countNode ? values.Integer(countNode, fields.PathOf("count"), 1, long.MaxValue, "a number of frames") : null;
        SimTime? deadline = fields["deadline"] is { } deadlineNode ? values.Duration(deadlineNode, fields.PathOf("deadline"), allowZero: false) : null;
        double traceRatio = fields["trace"] is { } traceNode ? ReadTraceRatio(traceNode, fields.PathOf("trace"), values) ?? 0 : 0;
        bool txTimestamps = fields["tx_timestamps"] is { } txNode && (values.Boolean(txNode, fields.PathOf("tx_timestamps")) ?? false);
        bool onNodeClock = false;
        if (fields["timer"] is { } timerNode && values.Text(timerNode, fields.PathOf("timer"), "true_time or node_clock") is { } timer)
        {
            if (timer == "node_clock") onNodeClock = true;
            else if (timer != "true_time") values.Diagnostics.Error(timerNode, fields.PathOf("timer"), $"'{timer}' is not a timer; expected true_time (the default) or node_clock (the talker's PHC)");
        }
        SimTime? launchAfter = null;
        bool deadlineMode = false;
        if (fields["launch_time"] is { } launchNode)
        {
            if (launchNode is MappingSourceNode launchMapping)
            {
                var launch = MappingFields.Check(launchMapping, fields.PathOf("launch_time"), TopologyFields.LaunchTime, values.Diagnostics);
                if (values.Required(launch, "after", "how long after its handoff each frame leaves, such as 50us") is { } afterNode)
                    launchAfter = values.Duration(afterNode, launch.PathOf("after"), allowZero: true);
                if (launch["deadline_mode"] is { } modeNode) deadlineMode = values.Boolean(modeNode, launch.PathOf("deadline_mode")) ?? false;
            }
            else launchAfter = values.Duration(launchNode, fields.PathOf("launch_time"), allowZero: true);
            // etf sits on a traffic class: the talker's port must have classes for a frame to wait for its time.
            if (launchAfter is not null && talker is not null && nodes?[talker].Config is { } talkerConfig
                && (talkerPort is null ? talkerConfig.Ports.FirstOrDefault() : talkerConfig.Ports.FirstOrDefault(p => p.Name == talkerPort)) is { Egress: null } bare)
                values.Diagnostics.Error(launchNode, fields.PathOf("launch_time"),
                    $"launch times need traffic classes on the talker's port {talker}:{bare.Name} (etf sits on a class); give it egress: {{ num_tc: 1 }} or more");
        }
        MacAddress? destination = fields["dst"] is { } dstNode ? values.Mac(dstNode, fields.PathOf("dst")) : null;
        StreamFlowConfig? flow = fields["flow"] is { } flowNode ? ReadFlow(flowNode, fields.PathOf("flow"), values) : null;
        string? application = fields["application"] is { } appNode ? values.Text(appNode, fields.PathOf("application"), "the application's name") : null;
        byte? priority = fields["priority"] is { } priorityNode && values.Integer(priorityNode, fields.PathOf("priority"), 0, 15, "a socket priority") is { } sp ? (byte)sp : null;
        var shaper = fields["shaper"] is { } shaperNode ? ReadShaper(shaperNode, fields.PathOf("shaper"), size, values) : null;
        if (flow is not null && fields["size"] is { } sized)
        {
            // Ethernet header, tag, IP and transport headers, the stream payload and the FCS must fit.
            int least = Ethernet.HeaderBytes + (vlan is not null || pcp != 0 || dei ? Ethernet.VlanTagBytes : 0) + flow.HeaderBytes + StreamPayload.Length + Ethernet.FcsBytes;
            if (size < least)
                diagnostics.Error(sized, fields.PathOf("size"), $"{size} bytes cannot hold this flow's headers; expected at least {least} (Ethernet {Ethernet.HeaderBytes}, IP and {flow.Protocol.ToString().ToUpperInvariant()} {flow.HeaderBytes}, stream payload {StreamPayload.Length}, FCS {Ethernet.FcsBytes})");
        }
        else if (flow is not null)
            size = Math.Max(size, Ethernet.HeaderBytes + (vlan is not null || pcp != 0 || dei ? Ethernet.VlanTagBytes : 0) + flow.HeaderBytes + StreamPayload.Length + Ethernet.FcsBytes);

        if (name is null || talker is null || listeners is null || period is null) return null;
        return new StreamConfig(name, talker, listeners, period.Value, size)
        {
            TalkerPort = talkerPort,
            Destination = destination,
            Vlan = vlan,
            Pcp = pcp,
            Dei = dei,
            Start = start,
            RandomStart = randomStart,
            Count = count,
            Deadline = deadline,
            TraceRatio = traceRatio,
            TxTimestamps = txTimestamps,
            LaunchAfter = launchAfter,
            OnNodeClock = onNodeClock,
            LaunchDeadlineMode = deadlineMode,
            Flow = flow,
            Application = application,
            Priority = priority,
            Shaper = shaper,
        };
    }

    /// <summary><c>shaper: { rate: 200Mbps, burst: 3040, policy: delay|drop, backlog: 1000 }</c>: the application's token bucket.</summary>
    private static Traffic.TokenBucketConfig? ReadShaper(SourceNode node, string path, int frameSize, ValueReader values)
    {
        if (values.Mapping(node, path, "a mapping with rate and optionally burst, policy, backlog, such as { rate: 200Mbps, burst: 3040 }") is not { } mapping) return null;
        var fields = MappingFields.Check(mapping, path, TopologyFields.Shaper, values.Diagnostics);
        var rate = values.Required(fields, "rate", "the application's rate limit, such as 200Mbps") is { } rateNode ? values.Rate(rateNode, fields.PathOf("rate")) : null;
        // By default the bucket holds two of the stream's frames on the wire.
        int wire = frameSize + WireOverheadBytes;
        int burst = 2 * wire;
        if (fields["burst"] is { } burstNode && values.Integer(burstNode, fields.PathOf("burst"), 1, 1 << 24, "the bucket's size in bytes") is { } b)
        {
            burst = (int)b;
            if (burst < wire)
                values.Diagnostics.Error(burstNode, fields.PathOf("burst"), $"{burst} bytes cannot hold one frame of this stream ({frameSize} bytes + {WireOverheadBytes} of preamble and gap = {wire}); expected at least {wire}");
        }
        bool drop = false;
        if (fields["policy"] is { } policyNode && values.Text(policyNode, fields.PathOf("policy"), "delay or drop") is { } policy)
        {
            if (policy is "drop") drop = true;
            else if (policy is not "delay") values.Diagnostics.Error(policyNode, fields.PathOf("policy"), $"'{policy}' is not a policy; expected delay (the default: a frame waits for its tokens) or drop (policing)");
        }
        int backlog = Traffic.TokenBucketConfig.DefaultBacklog;
        if (fields["backlog"] is { } backlogNode && values.Integer(backlogNode, fields.PathOf("backlog"), 1, 1_000_000, "frames that may wait for tokens") is { } bl) backlog = (int)bl;
        return rate is { } r ? new Traffic.TokenBucketConfig(r, burst) { Drop = drop, Backlog = backlog } : null;
    }

    /// <summary><c>flow: { proto: tcp, src: "10.0.0.1:5000", dst: "10.0.0.9:80", flows: 8 }</c>: the stream as IP flows.</summary>
    private static StreamFlowConfig? ReadFlow(SourceNode node, string path, ValueReader values)
    {
        if (values.Mapping(node, path, "a mapping with proto, src and dst, such as { proto: tcp, src: \"10.0.0.1:5000\", dst: \"10.0.0.9:80\" }") is not { } mapping) return null;
        var fields = MappingFields.Check(mapping, path, TopologyFields.Flow, values.Diagnostics);
        TransportProtocol? protocol = null;
        if (values.Required(fields, "proto", "tcp or udp") is { } protoNode && values.Text(protoNode, fields.PathOf("proto"), "tcp or udp") is { } proto)
        {
            protocol = proto switch { "tcp" => TransportProtocol.Tcp, "udp" => TransportProtocol.Udp, _ => null };
            if (protocol is null) values.Diagnostics.Error(protoNode, fields.PathOf("proto"), $"'{proto}' is not a flow protocol; expected tcp or udp");
        }
        var source = ReadEndpoint(fields, "src", values);
        var destination = ReadEndpoint(fields, "dst", values);
        int flows = 1;
        if (fields["flows"] is { } flowsNode && values.Integer(flowsNode, fields.PathOf("flows"), 1, 65536, "a number of flows") is { } f) flows = (int)f;
        int burst = 1;
        if (fields["burst"] is { } burstNode && values.Integer(burstNode, fields.PathOf("burst"), 1, 65536, "consecutive frames per flow") is { } b) burst = (int)b;
        if (source is { } src && destination is { } dst)
        {
            if (src.IsIpv6 != dst.IsIpv6)
            {
                values.Diagnostics.Error(fields["dst"]!, fields.PathOf("dst"), $"{dst.Address} is not of the IP version of src {src.Address}; expected two IPv4 or two IPv6 addresses");
                return null;
            }
            if (src.Port + flows - 1 > ushort.MaxValue)
            {
                values.Diagnostics.Error(fields["flows"]!, fields.PathOf("flows"), $"{flows} flows from source port {src.Port} run past 65535; expected at most {ushort.MaxValue - src.Port + 1}");
                return null;
            }
        }
        return protocol is { } p && source is { } s && destination is { } d ? new StreamFlowConfig(p, s, d, flows) { Burst = burst } : null;
    }

    private static Nic.FlowEndpoint? ReadEndpoint(MappingFields fields, string name, ValueReader values)
    {
        const string expectation = "ADDR:PORT such as 10.0.0.1:5000 or [fe80::1]:5000";
        if (values.Required(fields, name, expectation) is not { } node || values.Text(node, fields.PathOf(name), expectation) is not { } text) return null;
        if (Nic.FlowEndpoint.TryParse(text, withPort: true, out var endpoint, out var error)) return endpoint;
        values.Diagnostics.Error(node, fields.PathOf(name), error);
        return null;
    }

    /// <summary><c>trace: true|false</c>, or the share of frames to trace, a number from 0 to 1.</summary>
    private static double? ReadTraceRatio(SourceNode node, string path, ValueReader values)
    {
        const string expectation = "true, false, or the share of frames to trace, a number from 0 to 1 such as 0.1";
        var text = values.Text(node, path, expectation);
        if (text is null) return null;
        if (text is "true" or "True" or "TRUE") return 1;
        if (text is "false" or "False" or "FALSE") return 0;
        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var ratio) && ratio is >= 0 and <= 1)
            return ratio;
        values.Diagnostics.Error(node, path, $"'{text}' is not a trace setting; expected {expectation}");
        return null;
    }

    private static IReadOnlyList<string>? ReadListeners(
        MappingFields fields,
        string? talker,
        IReadOnlyDictionary<string, ParsedNode>? nodes,
        string hostList,
        ValueReader values)
    {
        var listenersNode = fields["listeners"];
        var listenerNode = fields["listener"];
        if (listenersNode is not null && listenerNode is not null)
        {
            values.Diagnostics.Error(fields.Entry("listener")!.Key, fields.PathOf("listener"), "both 'listener' and 'listeners' are given; expected exactly one of them");
            return null;
        }
        if (listenersNode is null && listenerNode is null)
        {
            values.Diagnostics.Error(fields.Mapping, fields.PathOf("listeners"),
                $"missing required field 'listeners'; expected the hosts that receive the stream{hostList}, as listeners: [h2] or listener: h2");
            return null;
        }
        var items = new List<(SourceNode Node, string Path)>();
        if (listenerNode is not null) items.Add((listenerNode, fields.PathOf("listener")));
        else if (values.Sequence(listenersNode!, fields.PathOf("listeners"), $"a list of host names such as [h2]{hostList}") is { } list)
        {
            for (int i = 0; i < list.Items.Count; i++) items.Add((list.Items[i], $"{fields.PathOf("listeners")}[{i}]"));
            if (list.Items.Count == 0)
                values.Diagnostics.Error(list, fields.PathOf("listeners"), $"no listeners; expected at least one host{hostList}");
        }
        else return null;

        var listeners = new List<string>();
        bool ok = items.Count > 0;
        foreach (var (node, path) in items)
        {
            var host = ReadHost(node, path, "listener", nodes, values);
            if (host is null) { ok = false; continue; }
            if (host == talker)
            {
                values.Diagnostics.Error(node, path, $"listener '{host}' is the stream's talker; expected a host other than the talker");
                ok = false;
            }
            else if (listeners.Contains(host))
            {
                values.Diagnostics.Error(node, path, $"listener '{host}' is listed twice; expected each listener once");
                ok = false;
            }
            else listeners.Add(host);
        }
        return ok ? listeners : null;
    }

    private static string? ReadHost(SourceNode node, string path, string role, IReadOnlyDictionary<string, ParsedNode>? nodes, ValueReader values)
    {
        var name = values.Text(node, path, $"the name of a host, the stream's {role}");
        if (name is null || nodes is null) return name;
        var hosts = NameList.Format(nodes.Values.Where(v => v.Kind == NodeKind.Host).Select(v => v.Name));
        if (!nodes.TryGetValue(name, out var target))
        {
            values.Diagnostics.Error(node, path, $"unknown node '{name}'; expected a host, one of {hosts}");
            return null;
        }
        if (target.Kind == NodeKind.Switch)
        {
            values.Diagnostics.Error(node, path, $"'{name}' is a switch; a {role} must be a host, one of {hosts}");
            return null;
        }
        return name;
    }
}
