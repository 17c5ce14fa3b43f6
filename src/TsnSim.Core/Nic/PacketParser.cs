using System.Buffers.Binary;
using TsnSim.Core.Frames;

namespace TsnSim.Core.Nic;

/// <summary>
/// A NIC's receive parser: reads a frame's Ethernet, 802.1Q, IPv4 or IPv6 (skipping hop-by-hop,
/// routing, destination-options, fragment and authentication headers) and TCP or UDP headers,
/// without allocating. What it cannot read it leaves absent, as hardware does.
/// </summary>
public static class PacketParser
{
    public static PacketHeaders Parse(ReadOnlySpan<byte> frame)
    {
        var h = new PacketHeaders { IpOffset = -1, AddressOffset = -1, TransportOffset = -1, PayloadOffset = -1 };
        if (frame.Length < Ethernet.HeaderBytes) return h;
        int offset = 12;
        h.EtherType = BinaryPrimitives.ReadUInt16BigEndian(frame[offset..]);
        if (h.EtherType == EtherTypes.Vlan && frame.Length >= Ethernet.HeaderBytes + Ethernet.VlanTagBytes)
        {
            ushort tci = BinaryPrimitives.ReadUInt16BigEndian(frame[14..]);
            (h.Tagged, h.Pcp, h.Vlan) = (true, (byte)(tci >> 13), (ushort)(tci & 0x0FFF));
            offset += Ethernet.VlanTagBytes;
            h.EtherType = BinaryPrimitives.ReadUInt16BigEndian(frame[offset..]);
        }
        offset += 2;
        if (h.EtherType == EtherTypes.Ipv4) ParseIpv4(frame, offset, ref h);
        else if (h.EtherType == EtherTypes.Ipv6) ParseIpv6(frame, offset, ref h);
        return h;
    }

    private static void ParseIpv4(ReadOnlySpan<byte> frame, int at, ref PacketHeaders h)
    {
        if (frame.Length < at + 20 || frame[at] >> 4 != 4) return;
        int headerBytes = (frame[at] & 0x0F) * 4;
        int total = BinaryPrimitives.ReadUInt16BigEndian(frame[(at + 2)..]);
        if (headerBytes < 20 || total < headerBytes || frame.Length < at + total) return;
        ushort fragment = BinaryPrimitives.ReadUInt16BigEndian(frame[(at + 6)..]);
        h.IpVersion = 4;
        h.IpOffset = at;
        h.IpHeaderBytes = headerBytes;
        h.IpEnd = at + total;
        h.AddressOffset = at + 12;
        h.AddressBytes = 8;
        h.IpOptions = headerBytes > 20;
        h.Ecn = (byte)(frame[at + 1] & 0x03);
        h.Fragment = (fragment & 0x3FFF) != 0;
        h.Protocol = frame[at + 9];
        // Only the first fragment carries the transport header.
        if ((fragment & 0x1FFF) == 0) ParseTransport(frame, at + headerBytes, ref h);
    }

    private static void ParseIpv6(ReadOnlySpan<byte> frame, int at, ref PacketHeaders h)
    {
        if (frame.Length < at + 40 || frame[at] >> 4 != 6) return;
        int end = at + 40 + BinaryPrimitives.ReadUInt16BigEndian(frame[(at + 4)..]);
        if (frame.Length < end) return;
        h.IpVersion = 6;
        h.IpOffset = at;
        h.IpEnd = end;
        h.AddressOffset = at + 8;
        h.AddressBytes = 32;
        h.Ecn = (byte)((frame[at + 1] >> 4) & 0x03);
        byte next = frame[at + 6];
        int offset = at + 40;
        bool firstFragment = true;
        while (next is IpProtocols.HopByHop or IpProtocols.Routing or IpProtocols.DestinationOptions or IpProtocols.Fragment or IpProtocols.Authentication)
        {
            if (end < offset + 8) { h.Protocol = next; h.IpHeaderBytes = offset - at; return; }
            h.ExtensionHeaders = true;
            byte following = frame[offset];
            int length = next switch
            {
                IpProtocols.Fragment => 8,
                IpProtocols.Authentication => (frame[offset + 1] + 2) * 4,
                _ => (frame[offset + 1] + 1) * 8,
            };
            if (next == IpProtocols.Fragment)
            {
                h.Fragment = true;
                firstFragment = (BinaryPrimitives.ReadUInt16BigEndian(frame[(offset + 2)..]) & 0xFFF8) == 0;
            }
            next = following;
            offset += length;
        }
        h.Protocol = next;
        h.IpHeaderBytes = offset - at;
        if (firstFragment && offset <= end) ParseTransport(frame, offset, ref h);
    }

    private static void ParseTransport(ReadOnlySpan<byte> frame, int at, ref PacketHeaders h)
    {
        if (h.Protocol == IpProtocols.Udp)
        {
            if (h.IpEnd < at + 8) return;
            h.TransportOffset = at;
            h.PayloadOffset = at + 8;
        }
        else if (h.Protocol == IpProtocols.Tcp)
        {
            if (h.IpEnd < at + 20) return;
            int headerBytes = (frame[at + 12] >> 4) * 4;
            if (headerBytes < 20 || h.IpEnd < at + headerBytes) return;
            h.TransportOffset = at;
            h.TcpHeaderBytes = headerBytes;
            h.TcpFlags = frame[at + 13];
            h.TcpSequence = BinaryPrimitives.ReadUInt32BigEndian(frame[(at + 4)..]);
            h.TcpAcknowledgment = BinaryPrimitives.ReadUInt32BigEndian(frame[(at + 8)..]);
            h.PayloadOffset = at + headerBytes;
        }
        else return;
        h.SourcePort = BinaryPrimitives.ReadUInt16BigEndian(frame[at..]);
        h.DestinationPort = BinaryPrimitives.ReadUInt16BigEndian(frame[(at + 2)..]);
    }
}
