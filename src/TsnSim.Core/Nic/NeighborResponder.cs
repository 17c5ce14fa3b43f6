using System.Buffers.Binary;
using System.Net;
using TsnSim.Core.Frames;

namespace TsnSim.Core.Nic;

/// <summary>
/// Answers ARP requests (RFC 826) and IPv6 Neighbor Solicitations (RFC 4861) for a host's
/// addresses: the NIC's ARP and NS offload while the host sleeps (NDIS_PM_PROTOCOL_OFFLOAD), and
/// the host stack's own minimal responder while it is awake. The reply is written whole into a
/// buffer; nothing is allocated.
/// </summary>
public sealed class NeighborResponder(MacAddress mac, IReadOnlyList<IPAddress> addresses)
{
    private const byte NeighborSolicitation = 135, NeighborAdvertisementType = 136;
    private readonly byte[][] _ipv4 = addresses.Where(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork).Select(a => a.GetAddressBytes()).ToArray();
    private readonly byte[][] _ipv6 = addresses.Where(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6).Select(a => a.GetAddressBytes()).ToArray();

    /// <summary>The longest reply: an Ethernet header with an 802.1Q tag, IPv6, and a 32-byte advertisement with its target link-layer address option.</summary>
    public const int MaxReplyBytes = 14 + 4 + 40 + 32;

    public MacAddress Mac { get; } = mac;

    /// <summary>
    /// Writes the answer to <paramref name="request"/> into <paramref name="reply"/> (at least
    /// <see cref="MaxReplyBytes"/>); returns its kind and length. The answer to a VLAN-tagged
    /// request carries the request's tag (its VID and PCP), so it goes back on the VLAN it came by.
    /// </summary>
    public (NeighborReply Kind, int Length) Answer(ReadOnlySpan<byte> request, Span<byte> reply)
    {
        if (request.Length < 14) return (NeighborReply.None, 0);
        int at = 12;
        ushort etherType = BinaryPrimitives.ReadUInt16BigEndian(request[at..]);
        bool tagged = etherType == EtherTypes.Vlan && request.Length >= 18;
        if (tagged) etherType = BinaryPrimitives.ReadUInt16BigEndian(request[(at += 4)..]);
        at += 2;
        var (kind, length) = etherType switch
        {
            EtherTypes.Arp => (NeighborReply.Arp, AnswerArp(request[at..], reply)),
            EtherTypes.Ipv6 => (NeighborReply.NeighborAdvertisement, AnswerSolicitation(request, request[at..], reply)),
            _ => (NeighborReply.None, 0),
        };
        if (length == 0) return (NeighborReply.None, 0);
        if (!tagged) return (kind, length);
        // The tag goes after the source address; what followed moves on by its 4 bytes (Span.CopyTo copies overlapping ranges as if through a temporary).
        reply[12..length].CopyTo(reply[16..]);
        request.Slice(12, 4).CopyTo(reply[12..]);
        return (kind, length + 4);
    }

    /// <summary>
    /// RFC 826: a request (op 1) for Ethernet/IPv4 whose target protocol address is ours gets a
    /// reply (op 2) from our hardware address and that protocol address, to the requester's
    /// hardware and protocol addresses, sent to the requester's MAC.
    /// </summary>
    private int AnswerArp(ReadOnlySpan<byte> arp, Span<byte> reply)
    {
        if (arp.Length < 28 || BinaryPrimitives.ReadUInt16BigEndian(arp) != 1 || BinaryPrimitives.ReadUInt16BigEndian(arp[2..]) != EtherTypes.Ipv4
            || arp[4] != 6 || arp[5] != 4 || BinaryPrimitives.ReadUInt16BigEndian(arp[6..]) != 1) return 0;
        var target = arp.Slice(24, 4);
        if (!Owns(_ipv4, target)) return 0;
        var requester = arp.Slice(8, 6);
        reply[..60].Clear();
        requester.CopyTo(reply);
        Mac.Write(reply[6..]);
        BinaryPrimitives.WriteUInt16BigEndian(reply[12..], EtherTypes.Arp);
        var body = reply[14..];
        arp[..6].CopyTo(body);            // hardware type, protocol type, lengths
        BinaryPrimitives.WriteUInt16BigEndian(body[6..], 2);
        Mac.Write(body[8..]);
        target.CopyTo(body[14..]);
        requester.CopyTo(body[18..]);
        arp.Slice(14, 4).CopyTo(body[24..]);
        return 60;                        // padded to the minimum frame without FCS
    }

    /// <summary>
    /// RFC 4861 §7.2.3–7.2.4: a valid solicitation (ICMPv6 type 135, code 0, hop limit 255) for
    /// one of our addresses gets an advertisement from that address: to the solicitation's
    /// source with the Solicited flag set, or, when the source is unspecified (duplicate address
    /// detection), to all-nodes with it clear; Override set, our link-layer address as a target
    /// link-layer address option, hop limit 255, the ICMPv6 checksum over RFC 8200's pseudo-header.
    /// </summary>
    private int AnswerSolicitation(ReadOnlySpan<byte> frame, ReadOnlySpan<byte> ip, Span<byte> reply)
    {
        if (ip.Length < 40 + 24 || ip[0] >> 4 != 6 || ip[6] != IpProtocols.Icmpv6 || ip[7] != 255) return 0;
        var icmp = ip[40..];
        if (icmp[0] != NeighborSolicitation || icmp[1] != 0) return 0;
        var target = icmp.Slice(8, 16);
        if (!Owns(_ipv6, target)) return 0;
        var source = ip.Slice(8, 16);
        bool unspecified = !source.ContainsAnyExcept((byte)0);
        // To the solicitation's sender (its MAC from the frame), or to all-nodes (33:33:00:00:00:01).
        if (unspecified) { reply[0] = 0x33; reply[1] = 0x33; reply[2..5].Clear(); reply[5] = 1; }
        else frame.Slice(6, 6).CopyTo(reply);
        Mac.Write(reply[6..]);
        BinaryPrimitives.WriteUInt16BigEndian(reply[12..], EtherTypes.Ipv6);
        var outIp = reply[14..];
        BinaryPrimitives.WriteUInt32BigEndian(outIp, 0x6000_0000);
        BinaryPrimitives.WriteUInt16BigEndian(outIp[4..], 32);
        outIp[6] = IpProtocols.Icmpv6;
        outIp[7] = 255;
        target.CopyTo(outIp[8..]);
        if (unspecified) { outIp[24] = 0xff; outIp[25] = 0x02; outIp[26..39].Clear(); outIp[39] = 1; }
        else source.CopyTo(outIp[24..]);
        var na = outIp.Slice(40, 32);
        na.Clear();
        na[0] = NeighborAdvertisementType;
        na[4] = (byte)((unspecified ? 0 : 0x40) | 0x20); // R = 0, S, O = 1
        target.CopyTo(na[8..]);
        na[24] = 2;                       // target link-layer address, 8 bytes
        na[25] = 1;
        Mac.Write(na[26..]);
        uint sum = InternetChecksum.PseudoHeader(outIp.Slice(8, 32), IpProtocols.Icmpv6, 32);
        BinaryPrimitives.WriteUInt16BigEndian(na[2..], InternetChecksum.Finish(InternetChecksum.Add(sum, na)));
        return 14 + 40 + 32;
    }

    private static bool Owns(byte[][] addresses, ReadOnlySpan<byte> address)
    {
        foreach (var a in addresses) if (address.SequenceEqual(a)) return true;
        return false;
    }
}
