using TsnSim.Core.Topology;
using TsnSim.Tests.Support;

namespace TsnSim.Tests.Nic;

/// <summary>
/// `nic:` and a stream's `flow:` as the topology gives them: what they read as, and each bad
/// value refused with its place and what was expected; and flow frames as Wireshark decodes
/// them: IPv4 and IPv6, TCP and UDP, with good checksums and TCP sequence numbers that follow
/// each flow's bytes.
/// </summary>
[Collection(ProcessTests.Collection)]
public class NicTopologyTests
{
    private static string Yaml(string nic, string flow = "{ proto: udp, src: \"10.0.0.1:5000\", dst: \"10.0.0.2:6000\" }", string size = "128") => $$"""
        name: t
        duration: 1ms
        nodes:
          c: { kind: host, ports: 1 }
          s:
            kind: host
            ports: 1
            nic: {{nic}}
          sw: { kind: switch, ports: 2 }
        links:
          - endpoints: ["c:eth0", "sw:eth0"]
          - endpoints: ["sw:eth1", "s:eth0"]
        streams:
          - { name: f, talker: c, listener: s, period: 100us, size: {{size}}, flow: {{flow}} }
        """;

    private static TopologyLoadResult Load(string yaml) => TopologyLoader.Load(System.Text.Encoding.UTF8.GetBytes(yaml), "t.yaml");

    [Fact]
    public void ANicReadsAsWrittenAndDefaultsAsDocumented()
    {
        var result = Load(Yaml("""
            { rx_queues: 4, ring: 64, buffers: { count: 100, size: 1024 }, cores: 2, queue_cores: [1, 1, 0, 0], cost: { per_packet: 2us, per_byte: 500ps },
                   rss: { hash_types: [tcp_ipv4, ipv4], table_size: 8, unhashed_queue: 2 }, rss_changes: [{ at: 5ms, table: [3, 2] }, { at: 1ms, key: "00000000000000000000000000000000000000000000000000000000000000000000000000000000" }],
                   rules: [{ proto: udp, dst_port: 319, vlan: 3, pcp: 6, ethertype: 0x0800, src: "10.0.0.1", queue: 3 }],
                   rule_changes: [{ at: 3ms, rules: [{ dst_port: 80, queue: 1 }] }, { at: 2ms, rules: [] }] }
            """));
        Assert.True(result.Succeeded, string.Join("; ", result.Diagnostics));
        var nic = result.Topology!.Node("s").Nic!;
        Assert.Equal((4, 64, 100, 1024, 2), (nic.RxQueues, nic.RingSize, nic.BufferCount, nic.BufferSize, nic.Cores));
        Assert.Equal([1, 1, 0], Enumerable.Range(0, 3).Select(nic.CoreOf));
        Assert.Equal((2_000_000L, 500L), (nic.PerPacketCost.Picoseconds, nic.PerByteCost.Picoseconds));
        Assert.Equal(Core.Nic.RssHashType.TcpIpv4 | Core.Nic.RssHashType.Ipv4, nic.Rss.HashTypes);
        // table_size 8 over 4 queues: i mod 4.
        Assert.Equal([0, 1, 2, 3, 0, 1, 2, 3], nic.Rss.Table);
        Assert.Equal(2, nic.Rss.UnhashedQueue);
        // The verification key by default.
        Assert.Equal(0x6d, nic.Rss.Key[0]);
        // Changes in time order.
        Assert.Equal([1_000_000_000L, 5_000_000_000L], nic.RssChanges.Select(c => c.At.Picoseconds));
        Assert.Equal([(2_000_000_000L, 0), (3_000_000_000L, 1)], nic.RuleChanges.Select(c => (c.At.Picoseconds, c.Rules.Count)));
        Assert.Equal(((ushort?)80, 1), (nic.RuleChanges[1].Rules[0].DestinationPort, nic.RuleChanges[1].Rules[0].Queue));
        var rule = Assert.Single(nic.Rules);
        Assert.Equal(((byte?)17, (ushort?)319, (ushort?)3, (byte?)6, (ushort?)0x0800, 3), (rule.Protocol, rule.DestinationPort, rule.Vlan, rule.Pcp, rule.EtherType, rule.Queue));
        Assert.Equal(Core.Nic.FlowEndpoint.TryParse("10.0.0.1:5000", true, out var src, out _) ? src : default, result.Topology.Streams[0].Flow!.Source);

        var plain = Load(Yaml("{ rx_queues: 3 }")).Topology!.Node("s").Nic!;
        Assert.Equal((256, 4096, 2048, 1), (plain.RingSize, plain.BufferCount, plain.BufferSize, plain.Cores));
        // Tx queues pair with the Rx queues by default, each on core i mod cores, a 256-descriptor ring, a backlog of 1000, no cost.
        Assert.Equal((3, 256, 1000, 0L, 0L), (plain.TxQueues, plain.TxRingSize, plain.TxBacklog, plain.TxPerPacketCost.Picoseconds, plain.TxPerByteCost.Picoseconds));
        var tx = Load(Yaml("{ rx_queues: 1, cores: 2, tx_queues: 4, tx_ring: 8, tx_backlog: 5, tx_queue_cores: [1, 1, 0, 1], tx_cost: { per_packet: 1us, per_byte: 2ps } }")).Topology!.Node("s").Nic!;
        Assert.Equal((4, 8, 5, 1_000_000L, 2L), (tx.TxQueues, tx.TxRingSize, tx.TxBacklog, tx.TxPerPacketCost.Picoseconds, tx.TxPerByteCost.Picoseconds));
        Assert.Equal([1, 1, 0, 1], Enumerable.Range(0, 4).Select(tx.TxCoreOf));
        Assert.Equal(128, plain.Rss.Table.Count);
        Assert.Equal(Core.Nic.RssHashType.All, plain.Rss.HashTypes);
    }

    public static IEnumerable<object[]> BadNics() => new (string Nic, string Field, string Expected)[]
    {
        ("{ rx_queues: 17 }", "nodes.s.nic.rx_queues", "out of range"),
        ("{ rx_queues: 2, rss: { hash_types: [tcp_ipv5] } }", "nodes.s.nic.rss.hash_types[0]", "did you mean 'tcp_ipv4'?"),
        ("{ rx_queues: 2, rss: { table: [0, 1, 0] } }", "nodes.s.nic.rss.table", "3 entries; an indirection table has a power of two"),
        ("{ rx_queues: 2, rss: { table: [0, 2] } }", "nodes.s.nic.rss.table[1]", "out of range"),
        ("{ rx_queues: 2, rss: { table_size: 100 } }", "nodes.s.nic.rss.table_size", "not a power of two"),
        ("{ rx_queues: 2, rss: { key: \"6d5a\" } }", "nodes.s.nic.rss.key", "2 bytes; an RSS key is 40 bytes"),
        ("{ rx_queues: 2, rss: { unhashed_queue: 5 } }", "nodes.s.nic.rss.unhashed_queue", "queue 5 does not exist"),
        ("{ rx_queues: 2, cores: 2, queue_cores: [0] }", "nodes.s.nic.queue_cores", "1 entries for 2 Rx queues"),
        ("{ rx_queues: 2, cores: 2, queue_cores: [0, 2] }", "nodes.s.nic.queue_cores[1]", "out of range"),
        ("{ rx_queues: 2, rules: [{ proto: tcp }] }", "nodes.s.nic.rules[0].queue", "missing required field 'queue'"),
        ("{ rx_queues: 2, rules: [{ proto: sctpx, queue: 1 }] }", "nodes.s.nic.rules[0].proto", "not a protocol"),
        ("{ rx_queues: 2, rules: [{ src: \"10.0.0\", queue: 1 }] }", "nodes.s.nic.rules[0].src", "not an IP address"),
        ("{ rx_queues: 2, rules: [{ src: \"[fe80::1]:80\", queue: 1 }] }", "nodes.s.nic.rules[0].src", "has a port; expected an IP address alone, such as 10.0.0.1 or fe80::1 (the port goes in src_port)"),
        ("{ rx_queues: 2, addresses: [\"10.0.0.2:80\"] }", "nodes.s.nic.addresses[0]", "has a port; expected an IP address alone, such as 10.0.0.1 or fe80::1"),
        ("{ rx_queues: 2, rss_changes: [{ at: 1ms }] }", "nodes.s.nic.rss_changes[0]", "changes nothing"),
        ("{ rx_queues: 2, rule_changes: [{ at: 1ms }] }", "nodes.s.nic.rule_changes[0].rules", "missing required field 'rules'; expected the new list of rules, or [] for none"),
        ("{ rx_queues: 2, rule_changes: [{ rules: [] }] }", "nodes.s.nic.rule_changes[0].at", "missing required field 'at'"),
        ("{ rx_queues: 2, rule_changes: [{ at: 1ms, rules: [{ dst_port: 80, queue: 2 }] }] }", "nodes.s.nic.rule_changes[0].rules[0].queue", "2 is out of range; expected an Rx queue of the 2"),
        ("{ rx_queues: 2, rings: 8 }", "nodes.s.nic", "did you mean 'ring'?"),
        ("{ rx_queues: 2, tx_queues: 0 }", "nodes.s.nic.tx_queues", "out of range"),
        ("{ rx_queues: 2, tx_ring: 0 }", "nodes.s.nic.tx_ring", "out of range"),
        ("{ rx_queues: 2, tx_backlog: -1 }", "nodes.s.nic.tx_backlog", "out of range"),
        ("{ rx_queues: 2, tx_queues: 3, cores: 2, tx_queue_cores: [0, 1] }", "nodes.s.nic.tx_queue_cores", "2 entries for 3 Tx queues"),
        ("{ rx_queues: 2, tx_queues: 2, cores: 2, tx_queue_cores: [0, 2] }", "nodes.s.nic.tx_queue_cores[1]", "out of range"),
        ("{ rx_queues: 2, tx_cost: { per_packet: 2 } }", "nodes.s.nic.tx_cost.per_packet", "has no time unit"),
        ("{ rx_queues: 2, tx_cost: { per_pkt: 2us } }", "nodes.s.nic.tx_cost", "unknown field 'per_pkt'; expected one of per_packet, per_byte"),
    }.Select(c => new object[] { c.Nic, c.Field, c.Expected });

    [Theory]
    [MemberData(nameof(BadNics))]
    public void ABadNicIsRefusedWithItsPlace(string nic, string field, string expected)
    {
        var result = Load(Yaml(nic));
        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Equal(field, error.Field);
        Assert.Contains(expected, error.Message);
        Assert.Equal(8, error.Line);
    }

    public static IEnumerable<object[]> BadFlows() => new (string Flow, string Size, string Field, string Expected)[]
    {
        ("{ proto: sctp, src: \"10.0.0.1:1\", dst: \"10.0.0.2:2\" }", "128", "streams[0].flow.proto", "expected tcp or udp"),
        ("{ proto: tcp, src: \"10.0.0.1\", dst: \"10.0.0.2:2\" }", "128", "streams[0].flow.src", "has no port"),
        ("{ proto: tcp, src: \"10.0.0.1:1\", dst: \"[::1]:2\" }", "128", "streams[0].flow.dst", "not of the IP version"),
        ("{ proto: tcp, src: \"10.0.0.1:65535\", dst: \"10.0.0.2:2\", flows: 2 }", "128", "streams[0].flow.flows", "run past 65535"),
        ("{ proto: tcp, src: \"[fe80::1]:1\", dst: \"[fe80::2]:2\" }", "100", "streams[0].size", "expected at least 110"),
    }.Select(c => new object[] { c.Flow, c.Size, c.Field, c.Expected });

    [Theory]
    [MemberData(nameof(BadFlows))]
    public void ABadFlowIsRefusedWithItsPlace(string flow, string size, string field, string expected)
    {
        var result = Load(Yaml("{ rx_queues: 2 }", flow, size));
        var error = Assert.Single(result.Errors);
        Assert.Equal(field, error.Field);
        Assert.Contains(expected, error.Message);
        Assert.Equal(14, error.Line);
    }

    [Fact]
    public void ANicOnASwitchIsRefused()
    {
        var result = Load(Yaml("{ rx_queues: 2 }").Replace("sw: { kind: switch, ports: 2 }", "sw: { kind: switch, ports: 2, nic: { rx_queues: 2 } }"));
        var error = Assert.Single(result.Errors);
        Assert.Equal("nodes.sw.nic", error.Field);
        Assert.Contains("applies only to hosts", error.Message);
    }

    [TsharkFact]
    public void FlowFramesDecodeAsTcpAndUdpOverIpv4AndIpv6WithGoodChecksums()
    {
        var yaml = Yaml("{ rx_queues: 2 }").Replace("""
              - { name: f, talker: c, listener: s, period: 100us, size: 128, flow: { proto: udp, src: "10.0.0.1:5000", dst: "10.0.0.2:6000" } }
            """, """
              - { name: t4, talker: c, listener: s, period: 100us, size: 600, count: 6, flow: { proto: tcp, src: "10.0.0.1:40000", dst: "10.0.0.2:80", flows: 2 } }
              - { name: u4, talker: c, listener: s, period: 100us, size: 200, count: 3, start: 10us, flow: { proto: udp, src: "10.0.0.1:5000", dst: "10.0.0.2:6000" } }
              - { name: t6, talker: c, listener: s, period: 100us, size: 300, count: 3, start: 20us, flow: { proto: tcp, src: "[2001:db8::1]:40000", dst: "[2001:db8::2]:443" } }
              - { name: u6, talker: c, listener: s, period: 100us, size: 150, count: 3, start: 30us, flow: { proto: udp, src: "[2001:db8::1]:5000", dst: "[2001:db8::2]:6000" } }
            """);
        var file = CliProcess.TempFile(yaml, ".yaml");
        var directory = Path.Combine(Path.GetTempPath(), $"tsnsim-test-{Guid.NewGuid():N}");
        var run = CliProcess.Run("run", file, "--pcap", directory);
        Assert.True(run.ExitCode == 0, run.Stderr);
        var pcap = Path.Combine(directory, "s-eth0.pcapng");
        string[] checks = ["-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-o", "tcp.relative_sequence_numbers:FALSE"];
        var tcp = Tshark.Fields(pcap, "tcp", ["ip.src", "ipv6.src", "tcp.srcport", "tcp.dstport", "tcp.seq", "tcp.len", "tcp.checksum.status", "ip.checksum.status"], checks);
        Assert.Equal(9, tcp.Count);
        // Wireshark's checksum status: 1 good, 0 bad, 2 unverified.
        Assert.All(tcp, t => Assert.Equal("1", t[6]));
        // The IPv4 flows: ports 40000 and 40001 in turn, each flow's sequence numbers growing by its segments' lengths from 1.
        foreach (var port in new[] { "40000", "40001" })
        {
            var flow = tcp.Where(t => t[0] == "10.0.0.1" && t[2] == port).ToList();
            Assert.Equal(3, flow.Count);
            long expected = 1;
            foreach (var segment in flow)
            {
                Assert.Equal(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), segment[4]);
                expected += long.Parse(segment[5], System.Globalization.CultureInfo.InvariantCulture);
            }
            // 600 bytes: 14 Ethernet, 20 IP, 20 TCP, 4 FCS around 542 bytes of segment data.
            Assert.All(flow, s => Assert.Equal(("1", "542"), (s[7], s[5])));
        }
        Assert.Equal(3, tcp.Count(t => t[1] == "2001:db8::1" && t[3] == "443"));
        var udp = Tshark.Fields(pcap, "udp", ["udp.srcport", "udp.length", "udp.checksum.status"], checks);
        Assert.Equal(6, udp.Count);
        Assert.All(udp, u => Assert.Equal("1", u[2]));
        Assert.Equal(["162", "162", "162", "92", "92", "92"], udp.Select(u => u[1]).OrderByDescending(l => int.Parse(l, System.Globalization.CultureInfo.InvariantCulture)));
        var malformed = Tshark.Run("-r", pcap, "-Y", "_ws.malformed || _ws.expert.severity >= error");
        Assert.Equal("", malformed.Stdout.Trim());
    }
}
