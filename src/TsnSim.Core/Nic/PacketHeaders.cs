using TsnSim.Core.Frames;

namespace TsnSim.Core.Nic;

/// <summary>
/// Where a received frame's headers are and what they say, as a NIC's parser finds them: the
/// VLAN tag, the IP header (version, addresses, options, fragmentation), and the TCP or UDP
/// header when one can be found. Offsets are into the frame's bytes; −1 when absent.
/// </summary>
public struct PacketHeaders
{
    /// <summary>The EtherType after any 802.1Q tag.</summary>
    public ushort EtherType;
    public bool Tagged;
    public ushort Vlan;
    public byte Pcp;

    /// <summary>4, 6, or 0 for a frame that is not IP (or whose IP header is malformed).</summary>
    public byte IpVersion;
    public int IpOffset;
    /// <summary>Source address, followed by the destination address: 8 bytes for IPv4, 32 for IPv6.</summary>
    public int AddressOffset;
    public int AddressBytes;
    /// <summary>The IPv4 header's total length or the IPv6 payload length plus its 40 bytes: where the packet ends.</summary>
    public int IpEnd;
    public int IpHeaderBytes;
    public bool IpOptions;
    public bool ExtensionHeaders;
    /// <summary>Any fragment, the first included (IPv4 MF or offset; an IPv6 fragment header).</summary>
    public bool Fragment;
    public byte Ecn;

    /// <summary>The upper-layer protocol (6 TCP, 17 UDP…), the last next header for IPv6.</summary>
    public byte Protocol;
    /// <summary>The TCP or UDP header, or −1 when none can be found (a later fragment, an unknown extension header, a truncated packet).</summary>
    public int TransportOffset;
    public ushort SourcePort;
    public ushort DestinationPort;

    public int TcpHeaderBytes;
    public byte TcpFlags;
    public uint TcpSequence;
    public uint TcpAcknowledgment;

    /// <summary>Where the transport payload starts; −1 when there is no transport header.</summary>
    public int PayloadOffset;

    public readonly bool IsTcp => Protocol == IpProtocols.Tcp && TransportOffset >= 0;
    public readonly bool IsUdp => Protocol == IpProtocols.Udp && TransportOffset >= 0;
    public readonly int PayloadBytes => PayloadOffset < 0 ? 0 : IpEnd - PayloadOffset;
}
