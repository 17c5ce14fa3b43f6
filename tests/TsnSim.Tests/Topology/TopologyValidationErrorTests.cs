using System.Text;
using TsnSim.Core.Topology;
using static TsnSim.Tests.Topology.TopologyErrorAssert;

namespace TsnSim.Tests.Topology;

/// <summary>
/// Every class of mistake in a topology file is reported at the exact line and column of the
/// offending YAML node (counted by hand in the comments), naming the field and what was expected.
/// </summary>
public class TopologyValidationErrorTests
{
    private static string WithStream(string streamLines) => ValidBase + "streams:\n" + streamLines;

    // ---- the file as a whole ----

    [Theory]
    [InlineData("")]
    [InlineData("   \n\n")]
    [InlineData("# only a comment\n# and another\n")]
    public void EmptyFileIsRejected(string yaml) =>
        SingleError(yaml, 1, 1, "", "empty", "expected a topology with name, nodes and links");

    [Fact]
    public void NulByteIsReportedWithItsByteOffset()
    {
        // "name: t\n" is 8 bytes, so the NUL is at offset 8: line 2, column 1.
        var result = TopologyLoader.Load(Encoding.UTF8.GetBytes("name: t\n\0\0"), SourceName);
        SingleError(result, 2, 1, "", "not a text file", "NUL", "byte offset 8", "UTF-8");
    }

    [Fact]
    public void InvalidUtf8IsReportedWithItsByteOffset()
    {
        // "name: t\n" (8 bytes) + "nodes: " (7 bytes): the 0xFF is at offset 15, line 2, column 8.
        var bytes = Encoding.UTF8.GetBytes("name: t\nnodes: ").Concat(new byte[] { 0xFF, 0x0A }).ToArray();
        SingleError(TopologyLoader.Load(bytes, SourceName), 2, 8, "", "not a text file", "0xff", "byte offset 15", "expected YAML text in UTF-8");
    }

    [Fact]
    public void ByteOrderMarkIsNotCountedAsContent()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes(ValidBase)).ToArray();
        Assert.True(TopologyLoader.Load(bytes, SourceName).Succeeded);
    }

    [Fact]
    public void YamlSyntaxErrorCarriesTheParsersPosition()
    {
        // Line 2 repeats a key at a deeper indentation after a scalar: "mapping values are not allowed".
        // YamlDotNet reports it at the ':' that cannot start a mapping value, line 2 column 6.
        const string yaml = "name: t\n  bad: x\n";
        SingleError(yaml, 2, 6, "", "YAML syntax error");
    }

    [Fact]
    public void UnclosedFlowListIsASyntaxErrorNotACrash()
    {
        var result = TopologyLoader.Load("name: t\nnodes: [h1, h2\nlinks: []\n", SourceName);
        var error = Assert.Single(result.Errors);
        Assert.Contains("YAML syntax error", error.Message);
    }

    [Theory]
    [InlineData("- name: t\n", "a list")]
    [InlineData("just a word\n", "'just a word'")]
    public void TopLevelMustBeAMapping(string yaml, string found) =>
        SingleError(yaml, 1, 1, "", "top level must be a mapping", found);

    [Fact]
    public void SecondDocumentIsRejected() =>
        // The second document's "---" is on line 9, column 1.
        SingleError(ValidBase + "---\nname: u\n", 9, 1, "", "second YAML document", "one topology per file");

    // ---- unknown fields and wrong types ----

    [Fact]
    public void UnknownTopLevelFieldSuggestsTheClosestAndListsAll() =>
        // "nmae" is the key on line 1, column 1.
        SingleError("nmae: t\n" + ValidBase[(ValidBase.IndexOf('\n') + 1)..].Replace("nodes:", "name: t\nnodes:"), 1, 1, "nmae",
            "unknown field 'nmae'", "did you mean 'name'?", "expected one of name, seed, duration, drain, defaults, ptp, nodes, links, streams");

    [Fact]
    public void UnknownNodeFieldSuggestsTheClosestAndListsAll()
    {
        const string yaml = """
            name: t
            nodes:
              sw1:
                kind: switch
                procesing: 1us
                ports: 1
              h1: { kind: host, ports: 1 }
            links:
              - endpoints: ["h1:eth0", "sw1:eth0"]
            """;
        var error = SingleError(yaml, 5, 5, "nodes.sw1", "unknown field 'procesing'");
        Assert.Equal("unknown field 'procesing'; did you mean 'processing'? expected one of kind, ports, mac, processing, queue, fdb, aging, clock, timestamps, ptp, egress, nic", error.Message);
        Assert.Equal("test.yaml:5:5: error: nodes.sw1: unknown field 'procesing'; did you mean 'processing'? expected one of kind, ports, mac, processing, queue, fdb, aging, clock, timestamps, ptp, egress, nic", error.ToString());
    }

    [Fact]
    public void AnUnknownPtpProfileNamesBoth() =>
        // Line 2 "ptp: { profile: e2ee }": the value starts at column 17.
        SingleError(ValidBase.Replace("nodes:", "ptp: { profile: e2ee }\nnodes:"), 2, 17, "ptp.profile",
            "unknown PTP profile 'e2ee'", "expected gptp (802.1AS) or e2e");

    [Fact]
    public void ASettingOfTheOtherPtpProfileIsRefused() =>
        // Line 2 "ptp: { profile: e2e, pdelay_interval: 1s }": the value 1s starts at column 39.
        SingleError(ValidBase.Replace("nodes:", "ptp: { profile: e2e, pdelay_interval: 1s }\nnodes:"), 2, 39, "ptp.pdelay_interval",
            "pdelay_interval applies to the gptp profile only", "this topology's profile is e2e");

    [Fact]
    public void UnknownLinkFieldIsReported() =>
        // Line 9 "    delya: 2us": the key starts at column 5.
        SingleError(ValidBase.TrimEnd('\n') + "\n    delya: 2us\n", 9, 5, "links[1]", "unknown field 'delya'", "did you mean 'delay'?", "expected one of endpoints, rate, delay");

    [Fact]
    public void UnknownFieldWithoutCloseMatchOffersNoSuggestion()
    {
        var error = SingleError(WithStream("  - { name: s, talker: h1, listeners: [h2], period: 1ms, colour: red }\n"),
            // "colour" is at column 58 of line 10.
            10, 58, "streams[0]", "unknown field 'colour'", "expected one of name, talker, port, listeners");
        Assert.DoesNotContain("did you mean", error.Message);
    }

    [Fact]
    public void ListWhereAMappingIsExpectedIsAWrongType() =>
        // "nodes: [h1, h2]": the list starts at line 2, column 8.
        SingleError("name: t\nnodes: [h1, h2]\n", 2, 8, "nodes", "expected a mapping of node name to node", "found a list");

    [Fact]
    public void ScalarWhereAListIsExpectedIsAWrongType() =>
        SingleError(ValidBase + "streams: none\n", 9, 10, "streams", "expected a list of streams", "found 'none'");

    // ---- nodes ----

    [Fact]
    public void DuplicateNodeNameIsReportedAtTheSecondWithTheFirstsPosition()
    {
        const string yaml = """
            name: t
            nodes:
              h1: { kind: host, ports: 1 }
              sw1: { kind: switch, ports: 1 }
              h1: { kind: host, ports: 1 }
            links:
              - endpoints: ["h1:eth0", "sw1:eth0"]
            """;
        SingleError(yaml, 5, 3, "nodes.h1", "duplicate node name 'h1'", "first defined at line 3, column 3", "must be unique");
    }

    [Fact]
    public void DuplicatePortNameInANodeIsReported()
    {
        const string yaml = """
            name: t
            nodes:
              h1: { kind: host, ports: [eth0, eth0] }
              h2: { kind: host, ports: 1 }
            links:
              - endpoints: ["h1:eth0", "h2:eth0"]
            """;
        // In "  h1: { kind: host, ports: [eth0, eth0] }" the first "eth0" is at column 29, the second at 35.
        SingleError(yaml, 3, 35, "nodes.h1.ports[1]", "duplicate port name 'eth0'", "first declared at line 3, column 29", "unique within a node");
    }

    [Fact]
    public void MissingNodeKindIsReportedAtTheNode() =>
        // "  h1: { ports: 1 }": the mapping starts at column 7.
        SingleError(ValidBase.Replace("h1: { kind: host, ports: 1 }", "h1: { ports: 1 }"), 3, 7, "nodes.h1.kind",
            "missing required field 'kind'", "expected host or switch");

    [Fact]
    public void UnknownNodeKindIsReportedAtTheValue() =>
        // "  h1: { kind: hots, ports: 1 }": "hots" is at column 15.
        SingleError(ValidBase.Replace("kind: host, ports: 1 }\n  h2", "kind: hots, ports: 1 }\n  h2"), 3, 15, "nodes.h1.kind",
            "unknown node kind 'hots'", "did you mean 'host'?", "expected host or switch");

    [Theory]
    [InlineData("9h")]
    [InlineData("h@1")]
    [InlineData("_h")]
    public void NodeNameMustStartWithALetterAndUseAContainerSafeAlphabet(string name) =>
        SingleError(ValidBase.Replace("  h1:", $"  {name}:").Replace("\"h1:", $"\"{name}:"), 3, 3, $"nodes.{name}", $"node name '{name}' is not valid", "expected a letter followed by letters, digits");

    [Fact]
    public void SwitchOnlyFieldOnAHostIsReported() =>
        // "  h1: { kind: host, ports: 1, processing: 1us }": "processing" is at column 31.
        SingleError(ValidBase.Replace("h1: { kind: host, ports: 1 }", "h1: { kind: host, ports: 1, processing: 1us }"), 3, 31,
            "nodes.h1.processing", "applies only to switches", "'h1' is a host");

    [Fact]
    public void FdbEntryWithUnknownPortIsReported() =>
        // Line 5 "  sw1: { kind: switch, ports: 2, fdb: [{ mac: "02:00:00:00:00:02", port: eth7 }] }": "eth7" at column 74.
        SingleError(ValidBase.Replace("sw1: { kind: switch, ports: 2 }", "sw1: { kind: switch, ports: 2, fdb: [{ mac: \"02:00:00:00:00:02\", port: eth7 }] }"),
            5, 74, "nodes.sw1.fdb[0].port", "unknown port 'eth7' on node 'sw1'", "expected one of eth0, eth1");

    [Fact]
    public void FdbEntryWithBadMacIsReported() =>
        // Line 5 "  sw1: { kind: switch, ports: 2, fdb: [{ mac: "02:00:00:00:00", port: eth1 }] }": the MAC at column 47.
        SingleError(ValidBase.Replace("sw1: { kind: switch, ports: 2 }", "sw1: { kind: switch, ports: 2, fdb: [{ mac: \"02:00:00:00:00\", port: eth1 }] }"),
            5, 47, "nodes.sw1.fdb[0].mac", "'02:00:00:00:00' is not a MAC address", "expected a MAC address of six hex octets");

    // ---- top-level scalars ----

    [Theory]
    [InlineData("-1", "is negative")]
    [InlineData("lucky", "is not a non-negative integer")]
    [InlineData("1.5", "is not a non-negative integer")]
    public void SeedMustBeANonNegativeInteger(string seed, string problem) =>
        // Line 9 "seed: <value>": the value is at column 7.
        SingleError(ValidBase + $"seed: {seed}\n", 9, 7, "seed", problem, "expected a seed, an integer from 0");

    [Fact]
    public void ZeroDurationIsRejected() =>
        SingleError(ValidBase + "duration: 0\n", 9, 11, "duration", "not greater than zero");

    // ---- links ----

    [Fact]
    public void EndpointWithoutColonIsReported() =>
        // Line 7 "  - endpoints: ["h1eth0", "sw1:eth0"]": the first endpoint is at column 17.
        SingleError(ValidBase.Replace("\"h1:eth0\"", "\"h1eth0\""), 7, 17, "links[0].endpoints[0]",
            "'h1eth0' is not an endpoint", "expected an endpoint 'node:port'");

    [Fact]
    public void EndpointNamingAnUnknownNodeListsTheNodes()
    {
        // Line 8 "  - endpoints: ["sw1:eth1", "sw9:eth0"]": the second endpoint is at column 29.
        var yaml = ValidBase.Replace("[\"sw1:eth1\", \"h2:eth0\"]", "[\"sw1:eth1\", \"sw9:eth0\"]") + "  - endpoints: [\"h2:eth0\", \"sw1:eth1\"]\n";
        var result = TopologyLoader.Load(yaml, SourceName);
        // sw1:eth1 is linked twice then too; the unknown node is the error under test.
        var error = Assert.Single(result.Errors, e => e.Field == "links[1].endpoints[1]");
        Assert.Equal((8, 29), (error.Line, error.Column));
        Assert.Equal("unknown node 'sw9'; expected one of h1, h2, sw1", error.Message);
    }

    [Fact]
    public void EndpointNamingAnUnknownPortListsTheNodesPorts() =>
        SingleError(ValidBase.Replace("\"sw1:eth1\"", "\"sw1:eth5\"").Replace("ports: 2", "ports: [eth0, eth5x, eth1]").Replace("sw1:eth5\", \"h2", "sw1:eth5\", \"h2"),
            8, 17, "links[1].endpoints[0]", "unknown port 'eth5' on node 'sw1'", "expected one of eth0, eth1, eth5x");

    [Fact]
    public void PortLinkedTwiceNamesTheOtherLink()
    {
        // Line 9 "  - endpoints: ["h2:eth0", "sw1:eth0"]": "sw1:eth0" (column 28) is already in links[0] at line 7, column 28.
        var yaml = ValidBase.Replace("h2: { kind: host, ports: 1 }", "h2: { kind: host, ports: 2 }") + "  - endpoints: [\"h2:eth1\", \"sw1:eth0\"]\n";
        SingleError(yaml, 9, 28, "links[2].endpoints[1]", "port sw1:eth0 is already linked by links[0].endpoints[1] at line 7, column 28");
    }

    [Fact]
    public void LinkWithBothEndsOnOneNodeIsRejected()
    {
        // Line 9 "  - endpoints: ["sw1:eth2", "sw1:eth3"]": the endpoint list starts at column 16.
        var yaml = ValidBase.Replace("ports: 2", "ports: 4") + "  - endpoints: [\"sw1:eth2\", \"sw1:eth3\"]\n";
        SingleError(yaml, 9, 16, "links[2].endpoints", "both ends are on node 'sw1'", "two different nodes");
    }

    [Theory]
    [InlineData("fast", "is not a rate")]
    [InlineData("0Gbps", "not positive")]
    [InlineData("-1Gbps", "not positive")]
    public void UnparseableOrNonPositiveLinkRateIsRejected(string rate, string problem) =>
        // Line 9 "    rate: <value>" continues links[1]: the value is at column 11.
        SingleError(ValidBase + $"    rate: {rate}\n", 9, 11, "links[1].rate", problem);

    [Theory]
    [InlineData("1Mbps")]
    [InlineData("800Gbps")]
    public void LinkRateOutsideTenMegabitToFourHundredGigabitIsRejected(string rate) =>
        SingleError(ValidBase + $"    rate: {rate}\n", 9, 11, "links[1].rate", "out of range", "expected a rate from 10Mbps to 400Gbps");

    [Theory]
    [InlineData("slow", "no time unit")]
    [InlineData("0", "not greater than zero")]
    [InlineData("-1us", "not greater than zero")]
    public void UnparseableOrNonPositiveLinkDelayIsRejected(string delay, string problem) =>
        SingleError(ValidBase + $"    delay: {delay}\n", 9, 12, "links[1].delay", problem);

    // ---- streams ----
    // Stream lines start at 10: "  - name: s" has "name" at column 5 (where the stream's mapping starts).

    [Fact]
    public void DuplicateStreamNameNamesTheFirst() =>
        // Line 14 "  - { name: s, ... }": "s" at column 13; the first "s" is line 10, column 11.
        SingleError(WithStream("  - name: s\n    talker: h1\n    listeners: [h2]\n    period: 1ms\n  - { name: s, talker: h2, listener: h1, period: 1ms }\n"),
            14, 13, "streams[1].name", "duplicate stream name 's'", "first used by streams[0] at line 10, column 11");

    [Fact]
    public void StreamWithoutTalkerIsRejected() =>
        SingleError(WithStream("  - name: s\n    listeners: [h2]\n    period: 1ms\n"), 10, 5, "streams[0].talker",
            "missing required field 'talker'", "expected the name of the host that sends the stream (one of h1, h2)");

    [Fact]
    public void StreamWithoutListenersIsRejected() =>
        SingleError(WithStream("  - name: s\n    talker: h1\n    period: 1ms\n"), 10, 5, "streams[0].listeners",
            "missing required field 'listeners'", "expected the hosts that receive the stream (one of h1, h2)");

    [Fact]
    public void UnknownTalkerListsTheHosts() =>
        // Line 11 "    talker: h3": "h3" at column 13.
        SingleError(WithStream("  - name: s\n    talker: h3\n    listeners: [h2]\n    period: 1ms\n"), 11, 13, "streams[0].talker",
            "unknown node 'h3'", "expected a host, one of h1, h2");

    [Fact]
    public void SwitchAsTalkerIsRejected() =>
        SingleError(WithStream("  - name: s\n    talker: sw1\n    listeners: [h2]\n    period: 1ms\n"), 11, 13, "streams[0].talker",
            "'sw1' is a switch", "a talker must be a host, one of h1, h2");

    [Fact]
    public void UnknownListenerIsRejected() =>
        // Line 12 "    listeners: [h2, h7]": "h7" at column 21.
        SingleError(WithStream("  - name: s\n    talker: h1\n    listeners: [h2, h7]\n    period: 1ms\n"), 12, 21, "streams[0].listeners[1]",
            "unknown node 'h7'", "expected a host, one of h1, h2");

    [Fact]
    public void SwitchAsListenerIsRejected() =>
        // Line 12 "    listener: sw1": "sw1" at column 15.
        SingleError(WithStream("  - name: s\n    talker: h1\n    listener: sw1\n    period: 1ms\n"), 12, 15, "streams[0].listener",
            "'sw1' is a switch", "a listener must be a host");

    [Fact]
    public void ListenerEqualToTalkerIsRejected() =>
        // Line 12 "    listeners: [h1]": "h1" at column 17.
        SingleError(WithStream("  - name: s\n    talker: h1\n    listeners: [h1]\n    period: 1ms\n"), 12, 17, "streams[0].listeners[0]",
            "listener 'h1' is the stream's talker", "expected a host other than the talker");

    [Fact]
    public void StreamWithBothPeriodAndRateIsRejected() =>
        // Line 14 "    rate: 1Mbps": the key "rate" at column 5.
        SingleError(WithStream("  - name: s\n    talker: h1\n    listeners: [h2]\n    period: 1ms\n    rate: 1Mbps\n"), 14, 5, "streams[0].rate",
            "both 'period' and 'rate'", "expected exactly one");

    [Fact]
    public void StreamWithNeitherPeriodNorRateIsRejected() =>
        SingleError(WithStream("  - name: s\n    talker: h1\n    listeners: [h2]\n"), 10, 5, "streams[0].period",
            "missing 'period' or 'rate'", "expected exactly one");

    [Theory]
    [InlineData(63)]
    [InlineData(9217)]
    public void FrameSizeOutside64To9216IsRejected(int size) =>
        // Line 14 "    size: <n>": the value at column 11.
        SingleError(WithStream($"  - name: s\n    talker: h1\n    listeners: [h2]\n    period: 1ms\n    size: {size}\n"), 14, 11, "streams[0].size",
            $"{size} is out of range", "from 64 to 9216");

    [Fact]
    public void PcpAboveSevenIsRejected() =>
        SingleError(WithStream("  - name: s\n    talker: h1\n    listeners: [h2]\n    period: 1ms\n    pcp: 8\n"), 14, 10, "streams[0].pcp",
            "8 is out of range", "a priority code point, an integer from 0 to 7");

    [Fact]
    public void VlanAbove4094IsRejected() =>
        SingleError(WithStream("  - name: s\n    talker: h1\n    listeners: [h2]\n    period: 1ms\n    vlan: 4095\n"), 14, 11, "streams[0].vlan",
            "4095 is out of range", "from 0 to 4094");

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    public void NonPositiveCountIsRejected(string count) =>
        SingleError(WithStream($"  - name: s\n    talker: h1\n    listeners: [h2]\n    period: 1ms\n    count: {count}\n"), 14, 12, "streams[0].count",
            "is out of range", "a number of frames, an integer from 1");

    [Fact]
    public void NonPositiveStreamRateIsRejected() =>
        SingleError(WithStream("  - name: s\n    talker: h1\n    listeners: [h2]\n    rate: 0bps\n"), 13, 11, "streams[0].rate", "not positive");

    [Fact]
    public void UnknownTalkerPortIsRejected() =>
        // Line 12 "    port: eth3": "eth3" at column 11.
        SingleError(WithStream("  - name: s\n    talker: h1\n    port: eth3\n    listeners: [h2]\n    period: 1ms\n"), 12, 11, "streams[0].port",
            "unknown port 'eth3' on talker 'h1'", "expected one of eth0");

    [Fact]
    public void AllErrorsOfAFileAreReportedInOnePassInFileOrder()
    {
        var yaml = ValidBase.Replace("ports: 2", "ports: 2, procesing: 1us") + "seed: -3\n" + "streams:\n  - { name: s, talker: h9, listeners: [h2], period: 1ms, pcp: 9 }\n";
        var result = TopologyLoader.Load(yaml, SourceName);
        Assert.False(result.Succeeded);
        Assert.Equal(["nodes.sw1", "seed", "streams[0].talker", "streams[0].pcp"], result.Errors.Select(e => e.Field));
        Assert.Equal(result.Errors.OrderBy(e => e.Line).ThenBy(e => e.Column), result.Errors);
    }
}
