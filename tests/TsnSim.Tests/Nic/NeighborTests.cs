using System.Buffers.Binary;
using System.Net;
using Google.Protobuf;
using TsnSim.Core.Frames;
using TsnSim.Core.Nic;
using TsnSim.Core.Simulation;
using TsnSim.Core.Time;
using TsnSim.Core.Topology;
using TsnSim.Hosting;
using TsnSim.Hosting.Capture;
using TsnSim.Hosting.Traffic;
using TsnSim.Protos.Traffic;
using TsnSim.Tests.Support;

namespace TsnSim.Tests.Nic;

/// <summary>
/// ARP and IPv6 NS answered for a host's addresses, on real bytes: RFC 826's reply fields,
/// RFC 4861's advertisement (Solicited set for a unicast source, clear and to all-nodes for
/// duplicate address detection, Override set, the target link-layer address option, hop limit
/// 255); by the NIC while the host sleeps and by its stack while awake, with a wake pattern
/// waking it; and Wireshark decoding the replies in a capture.
/// </summary>
[Collection(ProcessTests.Collection)]
public class NeighborTests
{
    private static readonly MacAddress ServerMac = MacAddress.Parse("02:00:00:00:00:64");
    private static readonly byte[] ClientMac = [0x02, 0, 0, 0, 0, 0x01];
    private static readonly NeighborResponder Responder = new(ServerMac, [IPAddress.Parse("10.0.0.100"), IPAddress.Parse("2001:db8::100")]);

    /// <summary>An ARP request (RFC 826) from 02:…:01 / 10.0.0.1 for <paramref name="target"/>, broadcast.</summary>
    private static byte[] ArpRequest(string target)
    {
        var frame = new byte[60];
        frame.AsSpan(0, 6).Fill(0xff);
        ClientMac.CopyTo(frame, 6);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x0806);
        var arp = frame.AsSpan(14);
        BinaryPrimitives.WriteUInt16BigEndian(arp, 1);
        BinaryPrimitives.WriteUInt16BigEndian(arp[2..], 0x0800);
        arp[4] = 6; arp[5] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(arp[6..], 1);
        ClientMac.CopyTo(arp[8..]);
        IPAddress.Parse("10.0.0.1").TryWriteBytes(arp[14..], out _);
        IPAddress.Parse(target).TryWriteBytes(arp[24..], out _);
        return frame;
    }

    /// <summary>A Neighbor Solicitation (RFC 4861 §4.3) for <paramref name="target"/> from <paramref name="source"/>, to its solicited-node group, hop limit <paramref name="hopLimit"/>.</summary>
    private static byte[] Solicitation(string source, string target, byte hopLimit = 255)
    {
        var frame = new byte[14 + 40 + 32];
        var targetBytes = IPAddress.Parse(target).GetAddressBytes();
        byte[] group = [0x33, 0x33, 0xff, targetBytes[13], targetBytes[14], targetBytes[15]];
        group.CopyTo(frame, 0);
        ClientMac.CopyTo(frame, 6);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x86DD);
        var ip = frame.AsSpan(14);
        ip[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], 32);
        ip[6] = 58;
        ip[7] = hopLimit;
        IPAddress.Parse(source).TryWriteBytes(ip[8..], out _);
        IPAddress.Parse($"ff02::1:ff{targetBytes[13]:x2}:{targetBytes[14]:x2}{targetBytes[15]:x2}").TryWriteBytes(ip[24..], out _);
        var ns = ip[40..];
        ns[0] = 135;
        targetBytes.CopyTo(ns[8..]);
        ns[24] = 1; ns[25] = 1; ClientMac.CopyTo(ns[26..]); // source link-layer address option
        return frame;
    }

    [Fact]
    public void AnArpRequestForOurAddressGetsRfc826sReply()
    {
        var reply = new byte[NeighborResponder.MaxReplyBytes];
        var (kind, length) = Responder.Answer(ArpRequest("10.0.0.100"), reply);
        Assert.Equal((NeighborReply.Arp, 60), (kind, length));
        Assert.Equal(ClientMac, reply[..6]);                          // to the requester
        Assert.Equal(ServerMac.ToString(), MacAddress.Read(reply.AsSpan(6)).ToString());
        var arp = reply.AsSpan(14);
        Assert.Equal((1, 0x0800, 6, 4, 2), (BinaryPrimitives.ReadUInt16BigEndian(arp), BinaryPrimitives.ReadUInt16BigEndian(arp[2..]), (int)arp[4], (int)arp[5], BinaryPrimitives.ReadUInt16BigEndian(arp[6..])));
        Assert.Equal(ServerMac.ToString(), MacAddress.Read(arp[8..]).ToString());   // sender: us, at the address asked for
        Assert.Equal("10.0.0.100", new IPAddress(arp.Slice(14, 4)).ToString());
        Assert.Equal(ClientMac, arp.Slice(18, 6).ToArray());                          // target: the requester
        Assert.Equal("10.0.0.1", new IPAddress(arp.Slice(24, 4)).ToString());
        Assert.Equal(NeighborReply.None, Responder.Answer(ArpRequest("10.0.0.99"), reply).Kind);
    }

    /// <summary>The same request with an 802.1Q tag (TPID 0x8100, PCP 5, VID 42) after the source address.</summary>
    private static byte[] Tagged(byte[] request) => [.. request[..12], 0x81, 0x00, 0xA0, 42, .. request[12..]];

    [Fact]
    public void AReplyToATaggedRequestCarriesItsTagAndOtherwiseTheSameBytes()
    {
        foreach (var request in new[] { ArpRequest("10.0.0.100"), Solicitation("2001:db8::1", "2001:db8::100"), Solicitation("::", "2001:db8::100") })
        {
            var plain = new byte[NeighborResponder.MaxReplyBytes];
            var tagged = new byte[NeighborResponder.MaxReplyBytes];
            var (kind, length) = Responder.Answer(request, plain);
            var (taggedKind, taggedLength) = Responder.Answer(Tagged(request), tagged);
            Assert.NotEqual(NeighborReply.None, kind);
            Assert.Equal((kind, length + 4), (taggedKind, taggedLength));
            // 802.1Q: the tag sits between the source address and the EtherType; the rest is the untagged reply's.
            Assert.Equal(plain[..12], tagged[..12]);
            Assert.Equal(new byte[] { 0x81, 0x00, 0xA0, 42 }, tagged[12..16]);
            Assert.Equal(plain[12..length], tagged[16..taggedLength]);
        }
    }

    [Fact]
    public void ASolicitationGetsRfc4861sAdvertisementSolicitedOnlyForAUnicastSource()
    {
        var reply = new byte[NeighborResponder.MaxReplyBytes];
        var (kind, length) = Responder.Answer(Solicitation("2001:db8::1", "2001:db8::100"), reply);
        Assert.Equal((NeighborReply.NeighborAdvertisement, 86), (kind, length));
        var ip = reply.AsSpan(14);
        Assert.Equal(ClientMac, reply[..6]);
        Assert.Equal((58, 255), ((int)ip[6], (int)ip[7]));
        Assert.Equal("2001:db8::100", new IPAddress(ip.Slice(8, 16)).ToString());
        Assert.Equal("2001:db8::1", new IPAddress(ip.Slice(24, 16)).ToString());
        var na = ip[40..];
        Assert.Equal((136, 0), ((int)na[0], (int)na[1]));
        Assert.Equal(0x60, na[4]);                                   // R clear, S and O set
        Assert.Equal("2001:db8::100", new IPAddress(na.Slice(8, 16)).ToString());
        Assert.Equal((2, 1), ((int)na[24], (int)na[25]));            // target link-layer address, 8 bytes
        Assert.Equal(ServerMac.ToString(), MacAddress.Read(na[26..]).ToString());

        // Duplicate address detection (source ::): to all-nodes, Solicited clear (§7.2.4).
        Responder.Answer(Solicitation("::", "2001:db8::100"), reply);
        Assert.Equal([0x33, 0x33, 0, 0, 0, 1], reply[..6]);
        Assert.Equal("ff02::1", new IPAddress(reply.AsSpan(14 + 24, 16)).ToString());
        Assert.Equal(0x20, reply[14 + 40 + 4]);
        // A solicitation that did not come from the link (hop limit below 255) or for another address: no answer.
        Assert.Equal(NeighborReply.None, Responder.Answer(Solicitation("2001:db8::1", "2001:db8::100", hopLimit: 64), reply).Kind);
        Assert.Equal(NeighborReply.None, Responder.Answer(Solicitation("2001:db8::1", "2001:db8::7"), reply).Kind);
    }

    private const string Yaml = """
        name: sleep
        duration: 10ms
        nodes:
          client: { kind: host, ports: 1 }
          server:
            kind: host
            ports: 1
            mac: "02:00:00:00:00:64"
            nic:
              addresses: ["10.0.0.100", "2001:db8::100"]
              power: [{ at: 1ms, state: d3 }]
              wake: [{ proto: tcp, dst_port: 22 }]
          sw: { kind: switch, ports: 2 }
        links:
          - endpoints: ["client:eth0", "sw:eth0"]
          - endpoints: ["sw:eth1", "server:eth0"]
        """;

    private static void Inject(LiveTrafficHandler handler, long atUs, byte[] frame)
    {
        handler.InjectFrames(new InjectFramesRequest { Node = "client", When = new When { AtPs = atUs * SimTime.PicosecondsPerMicrosecond }, Frames = { new FrameSpec { Raw = ByteString.CopyFrom(frame) } } },
            0, SimTime.FromMilliseconds(10));
    }

    [TsharkFact]
    public void TheNicAnswersForASleepingHostItsStackForAnAwakeOneAndAPatternWakesIt()
    {
        var result = TopologyLoader.Load(System.Text.Encoding.UTF8.GetBytes(Yaml), "sleep.yaml");
        Assert.True(result.Succeeded, string.Join("; ", result.Diagnostics));
        var topology = result.Topology!;
        var directory = Path.Combine(Path.GetTempPath(), $"tsnsim-test-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var capture = new PortCapture(directory, topology.Name);
        var settings = TopologyFile.SettingsFor(topology, null, null) with { Capture = capture };
        var ssh = TestPackets.Ipv4("10.0.0.1", "10.0.0.100", TestPackets.Tcp, 40000, 22);
        ServerMac.Write(ssh);
        var report = SingleProcessRun.Execute(topology, settings, p =>
        {
            var handler = new LiveTrafficHandler(topology, p);
            if (!handler.Owns("client")) return;
            Inject(handler, 500, ArpRequest("10.0.0.100"));                   // awake: the stack answers
            Inject(handler, 2000, ArpRequest("10.0.0.100"));                  // asleep: the NIC answers
            Inject(handler, 2100, Solicitation("2001:db8::1", "2001:db8::100"));
            Inject(handler, 2200, Solicitation("::", "2001:db8::100"));
            Inject(handler, 2300, ArpRequest("10.0.0.7"));                    // not ours: dropped while asleep
            Inject(handler, 3000, ssh);                                       // the wake pattern
            Inject(handler, 4000, Solicitation("2001:db8::1", "2001:db8::100")); // awake again: the stack
        });
        capture.Dispose();
        var neighbors = report.Ports.Single(p => p.Node == "server").Nic!.Neighbors!;
        Assert.Equal((1L, 2L, 1L, 1L, 1L, 1L), (neighbors.ArpOffloaded, neighbors.NsOffloaded, neighbors.ArpAnswered, neighbors.NsAnswered, neighbors.Wakes, neighbors.AsleepDrops));

        var pcap = Path.Combine(directory, PortCapture.FileName("client", "eth0"));
        var arp = Tshark.Fields(pcap, "arp.opcode == 2", ["arp.src.hw_mac", "arp.src.proto_ipv4", "arp.dst.hw_mac", "arp.dst.proto_ipv4"]);
        Assert.Equal(2, arp.Count);
        Assert.All(arp, a => Assert.Equal(["02:00:00:00:00:64", "10.0.0.100", "02:00:00:00:00:01", "10.0.0.1"], a));
        var na = Tshark.Fields(pcap, "icmpv6.type == 136", ["ipv6.dst", "icmpv6.nd.na.flag.s", "icmpv6.nd.na.flag.o", "icmpv6.nd.na.target_address", "icmpv6.opt.linkaddr", "icmpv6.checksum.status"]);
        Assert.Equal(3, na.Count);
        Assert.Equal(["2001:db8::1", "1", "1", "2001:db8::100", "02:00:00:00:00:64", "1"], na[0]);
        Assert.Equal(["ff02::1", "0", "1", "2001:db8::100", "02:00:00:00:00:64", "1"], na[1]);
        Assert.Equal(["2001:db8::1", "1", "1", "2001:db8::100", "02:00:00:00:00:64", "1"], na[2]);
        Assert.Equal("", Tshark.Run("-r", pcap, "-Y", "_ws.malformed || _ws.expert.severity >= error").Stdout.Trim());
    }

    [Fact]
    public void AnswersAndWakesAreTheSameOnePartitionPerNodeAndThroughTheApi()
    {
        var topology = TopologyLoader.Load(System.Text.Encoding.UTF8.GetBytes(Yaml.Replace("power: [{ at: 1ms, state: d3 }]", "power: []")), "sleep.yaml").Topology!;
        var settings = TopologyFile.SettingsFor(topology, null, null);
        void Prepare(Partition p)
        {
            var handler = new LiveTrafficHandler(topology, p);
            // The power change through the traffic API this time, on the server's partition.
            if (handler.Owns("server")) handler.SetPowerState(new SetPowerStateRequest { Node = "server", State = "d3", When = new When { AtPs = SimTime.PicosecondsPerMillisecond } }, 0, SimTime.FromMilliseconds(10));
            if (!handler.Owns("client")) return;
            Inject(handler, 500, ArpRequest("10.0.0.100"));
            Inject(handler, 2000, ArpRequest("10.0.0.100"));
            Inject(handler, 2100, Solicitation("2001:db8::1", "2001:db8::100"));
            var ssh = TestPackets.Ipv4("10.0.0.1", "10.0.0.100", TestPackets.Tcp, 40000, 22);
            ServerMac.Write(ssh);
            Inject(handler, 3000, ssh);
            Inject(handler, 4000, ArpRequest("10.0.0.100"));
        }
        var one = SingleProcessRun.Execute(topology, settings, Prepare);
        var split = Core.Distributed.InMemoryDistributedRun.Execute(topology, settings, Core.Distributed.PartitionLayout.OnePerNode(topology), shuffleSeed: 9, prepare: Prepare);
        Assert.Equal(one.FramesDigest, split.FramesDigest);
        var neighbors = one.Ports.Single(p => p.Node == "server").Nic!.Neighbors!;
        Assert.Equal(neighbors, split.Ports.Single(p => p.Node == "server").Nic!.Neighbors);
        Assert.Equal((1L, 1L, 2L, 1L), (neighbors.ArpOffloaded, neighbors.NsOffloaded, neighbors.ArpAnswered, neighbors.Wakes));
        // The four answers crossed the switch back to the client.
        var client = one.Ports.Single(p => p.Node == "client");
        Assert.Equal(4, client.RxFrames);
    }
}
