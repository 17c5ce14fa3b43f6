using TsnSim.Core.Nic;

namespace TsnSim.Tests.Nic;

/// <summary>
/// RSS on received packets' bytes, by NDIS's rules ("RSS Hashing Types"), with the hash values of
/// Microsoft's verification suite as the expectation: the 4-tuple for TCP (and UDP, the same
/// fields) when its type is on, the 2-tuple for any fragment or a transport the types leave out,
/// nothing (the unhashed queue) when no enabled type applies.
/// </summary>
public class RssReceiveTests
{
    private static RssClassifier Classifier(RssHashType types, int unhashed = 3) =>
        new(RssSettings.Default(4) with { HashTypes = types, UnhashedQueue = unhashed });

    private static (uint Hash, RssHashType Type, int Queue) Classify(RssClassifier rss, byte[] frame) => rss.Classify(frame, PacketParser.Parse(frame));

    private static (uint Hash, RssHashType Type) Typed(RssClassifier rss, byte[] frame) => Classify(rss, frame) is var (hash, type, _) ? (hash, type) : default;

    public static IEnumerable<object[]> Ipv4Suite() => new (string Destination, ushort DestinationPort, string Source, ushort SourcePort, uint Ip, uint Tcp)[]
    {
        ("161.142.100.80", 1766, "66.9.149.187", 2794, 0x323e8fc2, 0x51ccc178),
        ("65.69.140.83", 4739, "199.92.111.2", 14230, 0xd718262a, 0xc626b0ea),
        ("12.22.207.184", 38024, "24.19.198.95", 12898, 0xd2d0a5de, 0x5c2b394a),
        ("209.142.163.6", 2217, "38.27.205.30", 48228, 0x82989176, 0xafc7327f),
        ("202.188.127.2", 1303, "153.39.163.191", 44251, 0x5d1809c5, 0x10e828a2),
    }.Select(v => new object[] { v.Destination, v.DestinationPort, v.Source, v.SourcePort, v.Ip, v.Tcp });

    [Theory]
    [MemberData(nameof(Ipv4Suite))]
    public void AnIpv4PacketHashesAsTheSuiteSaysUnderEachRule(string destination, ushort destinationPort, string source, ushort sourcePort, uint ip, uint tcp)
    {
        var all = Classifier(RssHashType.All);
        Assert.Equal((tcp, RssHashType.TcpIpv4, (int)(tcp & 127) % 4), Classify(all, TestPackets.Ipv4(source, destination, TestPackets.Tcp, sourcePort, destinationPort)));
        // UDP hashes the same four fields.
        Assert.Equal((tcp, RssHashType.UdpIpv4), Typed(all, TestPackets.Ipv4(source, destination, TestPackets.Udp, sourcePort, destinationPort)));
        // IP options are skipped, not a reason to give up.
        Assert.Equal((tcp, RssHashType.TcpIpv4), Typed(all, TestPackets.Ipv4(source, destination, TestPackets.Tcp, sourcePort, destinationPort, optionWords: 2)));
        // A fragment, the first (MF set, offset 0) with its TCP header included, and a later one: the 2-tuple.
        Assert.Equal((ip, RssHashType.Ipv4), Typed(all, TestPackets.Ipv4(source, destination, TestPackets.Tcp, sourcePort, destinationPort, flagsAndOffset: 0x2000)));
        Assert.Equal((ip, RssHashType.Ipv4), Typed(all, TestPackets.Ipv4(source, destination, TestPackets.Tcp, sourcePort, destinationPort, flagsAndOffset: 0x00B9)));
        // TCP and IPv4 on, UDP off: a UDP packet falls back to the 2-tuple; TCP alone: it is not hashed at all.
        Assert.Equal((ip, RssHashType.Ipv4), Typed(Classifier(RssHashType.TcpIpv4 | RssHashType.Ipv4), TestPackets.Ipv4(source, destination, TestPackets.Udp, sourcePort, destinationPort)));
        Assert.Equal((0u, RssHashType.None, 3), Classify(Classifier(RssHashType.TcpIpv4), TestPackets.Ipv4(source, destination, TestPackets.Udp, sourcePort, destinationPort)));
        // TCP alone and a fragment: not hashed either (the IP type would be needed).
        Assert.Equal(RssHashType.None, Classify(Classifier(RssHashType.TcpIpv4), TestPackets.Ipv4(source, destination, TestPackets.Tcp, sourcePort, destinationPort, flagsAndOffset: 0x2000)).Type);
        // The IP type alone hashes TCP on its addresses.
        Assert.Equal((ip, RssHashType.Ipv4), Typed(Classifier(RssHashType.Ipv4), TestPackets.Ipv4(source, destination, TestPackets.Tcp, sourcePort, destinationPort)));
        // A tag in front changes nothing.
        Assert.Equal((tcp, RssHashType.TcpIpv4), Typed(all, TestPackets.Ipv4(source, destination, TestPackets.Tcp, sourcePort, destinationPort, tag: (10, 5))));
    }

    public static IEnumerable<object[]> Ipv6Suite() => new (string Destination, ushort DestinationPort, string Source, ushort SourcePort, uint Ip, uint Tcp)[]
    {
        ("3ffe:2501:200:3::1", 1766, "3ffe:2501:200:1fff::7", 2794, 0x2cc18cd5, 0x40207d3d),
        ("ff02::1", 4739, "3ffe:501:8::260:97ff:fe40:efab", 14230, 0x0f0c461c, 0xdde51bbf),
        ("fe80::200:f8ff:fe21:67cf", 38024, "3ffe:1900:4545:3:200:f8ff:fe21:67cf", 44251, 0x4b61e985, 0x02d1feef),
    }.Select(v => new object[] { v.Destination, v.DestinationPort, v.Source, v.SourcePort, v.Ip, v.Tcp });

    [Theory]
    [MemberData(nameof(Ipv6Suite))]
    public void AnIpv6PacketHashesAsTheSuiteSaysAndExtensionHeadersAreSkipped(string destination, ushort destinationPort, string source, ushort sourcePort, uint ip, uint tcp)
    {
        var all = Classifier(RssHashType.All);
        Assert.Equal((tcp, RssHashType.TcpIpv6), Typed(all, TestPackets.Ipv6(source, destination, TestPackets.Tcp, sourcePort, destinationPort)));
        Assert.Equal((tcp, RssHashType.UdpIpv6), Typed(all, TestPackets.Ipv6(source, destination, TestPackets.Udp, sourcePort, destinationPort)));
        Assert.Equal((tcp, RssHashType.TcpIpv6), Typed(all, TestPackets.Ipv6(source, destination, TestPackets.Tcp, sourcePort, destinationPort, hopByHop: true)));
        Assert.Equal((ip, RssHashType.Ipv6), Typed(all, TestPackets.Ipv6(source, destination, TestPackets.Tcp, sourcePort, destinationPort, hopByHop: true, fragment: true)));
        Assert.Equal((ip, RssHashType.Ipv6), Typed(Classifier(RssHashType.Ipv6 | RssHashType.TcpIpv4), TestPackets.Ipv6(source, destination, TestPackets.Tcp, sourcePort, destinationPort)));
        // IPv4 types only: an IPv6 packet is not hashed.
        Assert.Equal(RssHashType.None, Classify(Classifier(RssHashType.Ipv4 | RssHashType.TcpIpv4 | RssHashType.UdpIpv4), TestPackets.Ipv6(source, destination, TestPackets.Tcp, sourcePort, destinationPort)).Type);
    }

    [Fact]
    public void WhatIsNotIpOrIsTruncatedOrFindsRssOffGoesToTheUnhashedQueue()
    {
        var all = Classifier(RssHashType.All, unhashed: 2);
        Assert.Equal((0u, RssHashType.None, 2), Classify(all, TestPackets.Ethernet(0x88B5, new byte[46], null)));
        var tcp = TestPackets.Ipv4("66.9.149.187", "161.142.100.80", TestPackets.Tcp, 2794, 1766);
        // The IP header says more bytes than the frame holds: malformed, so not hashed.
        Assert.Equal(RssHashType.None, Classify(all, tcp[..40]).Type);
        var off = new RssClassifier(RssSettings.Default(4) with { Enabled = false, UnhashedQueue = 1 });
        Assert.Equal((0u, RssHashType.None, 1), Classify(off, tcp));
    }

    [Fact]
    public void ANewKeyOrTableTakesEffectForTheNextPacket()
    {
        var tcp = TestPackets.Ipv4("66.9.149.187", "161.142.100.80", TestPackets.Tcp, 2794, 1766);
        var rss = Classifier(RssHashType.All);
        // 0x51ccc178 & 127 = 120: entry 120 of the default table is queue 0; a 2-entry table [3, 1] reads bit 0 (0): queue 3.
        Assert.Equal(0, Classify(rss, tcp).Queue);
        rss.Apply(null, [3, 1]);
        Assert.Equal((0x51ccc178u, 3), (Classify(rss, tcp).Hash, Classify(rss, tcp).Queue));
        // An all-zero key hashes everything to zero.
        rss.Apply(new byte[ToeplitzHash.KeyBytes], null);
        Assert.Equal((0u, 3), (Classify(rss, tcp).Hash, Classify(rss, tcp).Queue));
    }

    [Fact]
    public void AMatchingSteeringRuleNamesTheQueueAndEveryGivenFieldMustMatch()
    {
        var frame = TestPackets.Ipv4("10.0.0.1", "10.0.0.9", TestPackets.Udp, 5000, 319, tag: (20, 6));
        var headers = PacketParser.Parse(frame);
        Assert.True(new FlowRule("ptp", 2) { Protocol = 17, DestinationPort = 319 }.Matches(frame, headers));
        Assert.True(new FlowRule("vlan", 2) { Vlan = 20, Pcp = 6, EtherType = 0x0800 }.Matches(frame, headers));
        Assert.True(new FlowRule("hosts", 2) { SourceAddress = System.Net.IPAddress.Parse("10.0.0.1"), DestinationAddress = System.Net.IPAddress.Parse("10.0.0.9"), SourcePort = 5000 }.Matches(frame, headers));
        Assert.False(new FlowRule("tcp", 2) { Protocol = 6, DestinationPort = 319 }.Matches(frame, headers));
        Assert.False(new FlowRule("pcp", 2) { Pcp = 5 }.Matches(frame, headers));
        Assert.False(new FlowRule("src", 2) { SourceAddress = System.Net.IPAddress.Parse("10.0.0.2") }.Matches(frame, headers));
        // An IPv6 address never matches an IPv4 packet.
        Assert.False(new FlowRule("v6", 2) { DestinationAddress = System.Net.IPAddress.Parse("::1") }.Matches(frame, headers));
        var untagged = TestPackets.Ipv4("10.0.0.1", "10.0.0.9", TestPackets.Udp, 5000, 319);
        Assert.False(new FlowRule("vlan", 2) { Vlan = 20 }.Matches(untagged, PacketParser.Parse(untagged)));
    }
}
