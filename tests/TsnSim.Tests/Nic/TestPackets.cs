using System.Buffers.Binary;
using System.Net;

namespace TsnSim.Tests.Nic;

/// <summary>
/// Received packets written byte by byte from RFC 791, RFC 8200, RFC 793 and RFC 768's layouts
/// (not by the simulator's own writer), for the NIC's parser, RSS and steering rules to read.
/// </summary>
internal static class TestPackets
{
    public const byte Tcp = 6, Udp = 17;

    /// <summary>An Ethernet frame holding an IPv4 packet: <paramref name="flagsAndOffset"/> is the header's flags and fragment offset word; <paramref name="optionWords"/> 32-bit words of options.</summary>
    public static byte[] Ipv4(string source, string destination, byte protocol, ushort sourcePort, ushort destinationPort,
        ushort flagsAndOffset = 0x4000, int optionWords = 0, (ushort Vlan, byte Pcp)? tag = null, int payloadBytes = 32)
    {
        int ipHeader = 20 + 4 * optionWords;
        int transport = protocol == Tcp ? 20 : 8;
        var packet = new byte[ipHeader + transport + payloadBytes];
        packet[0] = (byte)(0x40 | (ipHeader / 4));
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), flagsAndOffset);
        packet[8] = 64;
        packet[9] = protocol;
        IPAddress.Parse(source).TryWriteBytes(packet.AsSpan(12), out _);
        IPAddress.Parse(destination).TryWriteBytes(packet.AsSpan(16), out _);
        for (int i = 20; i < ipHeader; i++) packet[i] = 1; // NOP options
        WriteTransport(packet.AsSpan(ipHeader), protocol, sourcePort, destinationPort);
        return Ethernet(0x0800, packet, tag);
    }

    /// <summary>An Ethernet frame holding an IPv6 packet, with a hop-by-hop options header first when <paramref name="hopByHop"/>.</summary>
    public static byte[] Ipv6(string source, string destination, byte protocol, ushort sourcePort, ushort destinationPort, bool hopByHop = false, bool fragment = false)
    {
        int extension = (hopByHop ? 8 : 0) + (fragment ? 8 : 0);
        int transport = protocol == Tcp ? 20 : 8;
        var packet = new byte[40 + extension + transport + 32];
        packet[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), (ushort)(packet.Length - 40));
        packet[7] = 64;
        IPAddress.Parse(source).TryWriteBytes(packet.AsSpan(8), out _);
        IPAddress.Parse(destination).TryWriteBytes(packet.AsSpan(24), out _);
        int at = 40;
        byte next = protocol;
        if (fragment) next = 44;
        if (hopByHop)
        {
            packet[6] = 0;
            packet[at] = next; // next header; length 0: 8 bytes; PadN fills the rest
            packet[at + 2] = 1;
            packet[at + 3] = 4;
            at += 8;
        }
        else packet[6] = next;
        if (fragment)
        {
            packet[at] = protocol;
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(at + 2), 0x0001); // offset 0, more fragments
            at += 8;
        }
        WriteTransport(packet.AsSpan(at), protocol, sourcePort, destinationPort);
        return Ethernet(0x86DD, packet, null);
    }

    public static byte[] Ethernet(ushort etherType, byte[] payload, (ushort Vlan, byte Pcp)? tag)
    {
        int header = tag is null ? 14 : 18;
        var frame = new byte[header + payload.Length];
        frame[0] = 0x02;
        frame[5] = 0x09;
        frame[6] = 0x02;
        frame[11] = 0x01;
        if (tag is { } t)
        {
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x8100);
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(14), (ushort)(t.Pcp << 13 | t.Vlan));
        }
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(header - 2), etherType);
        payload.CopyTo(frame.AsSpan(header));
        return frame;
    }

    private static void WriteTransport(Span<byte> at, byte protocol, ushort sourcePort, ushort destinationPort)
    {
        BinaryPrimitives.WriteUInt16BigEndian(at, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(at[2..], destinationPort);
        if (protocol == Tcp)
        {
            at[12] = 5 << 4;
            at[13] = 0x10;
        }
        else BinaryPrimitives.WriteUInt16BigEndian(at[4..], (ushort)(at.Length));
    }
}
