using System.Buffers.Binary;
using TsnSim.Core.Frames;
using TsnSim.Core.Topology;

namespace TsnSim.Core.Traffic;

/// <summary>
/// Writes the IP and TCP or UDP headers of a stream carried as flows, with correct lengths and
/// checksums, so that a capture decodes as real traffic and a NIC parses it as hardware would.
/// TCP segments of one flow carry consecutive sequence numbers (ACK and PSH set, no options),
/// which is what receive-side coalescing looks for.
/// </summary>
public sealed class FlowPacketWriter(StreamFlowConfig flow)
{
    private const uint InitialSequence = 1;
    private readonly uint[] _nextSequence = Enumerable.Repeat(InitialSequence, flow.Flows).ToArray();
    private readonly byte[] _addresses = AddressesOf(flow);

    public StreamFlowConfig Flow { get; } = flow;

    /// <summary>
    /// Writes the headers for frame <paramref name="frameSequence"/> at <paramref name="packet"/>'s
    /// start; the payload (<paramref name="payloadBytes"/>, already in place after them) is summed
    /// into the transport checksum.
    /// </summary>
    public void Write(Span<byte> packet, long frameSequence, int payloadBytes)
    {
        int flowIndex = Flow.FlowOf(frameSequence);
        int ipBytes = Flow.IsIpv6 ? 40 : 20;
        int transportBytes = Flow.Protocol == TransportProtocol.Tcp ? 20 : 8;
        int segmentBytes = transportBytes + payloadBytes;
        byte protocol = Flow.Protocol == TransportProtocol.Tcp ? IpProtocols.Tcp : IpProtocols.Udp;
        if (Flow.IsIpv6)
        {
            BinaryPrimitives.WriteUInt32BigEndian(packet, 0x6000_0000);
            BinaryPrimitives.WriteUInt16BigEndian(packet[4..], (ushort)segmentBytes);
            packet[6] = protocol;
            packet[7] = 64;
            _addresses.CopyTo(packet[8..]);
        }
        else
        {
            packet[0] = 0x45;
            packet[1] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(packet[2..], (ushort)(ipBytes + segmentBytes));
            BinaryPrimitives.WriteUInt16BigEndian(packet[4..], (ushort)frameSequence);
            BinaryPrimitives.WriteUInt16BigEndian(packet[6..], 0x4000); // don't fragment
            packet[8] = 64;
            packet[9] = protocol;
            BinaryPrimitives.WriteUInt16BigEndian(packet[10..], 0);
            _addresses.CopyTo(packet[12..]);
            BinaryPrimitives.WriteUInt16BigEndian(packet[10..], InternetChecksum.Finish(InternetChecksum.Add(0, packet[..20])));
        }
        var segment = packet.Slice(ipBytes, segmentBytes);
        BinaryPrimitives.WriteUInt16BigEndian(segment, (ushort)(Flow.Source.Port + flowIndex));
        BinaryPrimitives.WriteUInt16BigEndian(segment[2..], Flow.Destination.Port);
        int checksumAt;
        if (Flow.Protocol == TransportProtocol.Tcp)
        {
            BinaryPrimitives.WriteUInt32BigEndian(segment[4..], _nextSequence[flowIndex]);
            _nextSequence[flowIndex] += (uint)payloadBytes;
            BinaryPrimitives.WriteUInt32BigEndian(segment[8..], 1);
            segment[12] = 5 << 4;
            segment[13] = 0x18; // ACK, PSH
            BinaryPrimitives.WriteUInt16BigEndian(segment[14..], 65535);
            BinaryPrimitives.WriteUInt32BigEndian(segment[16..], 0);
            checksumAt = 16;
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(segment[4..], (ushort)segmentBytes);
            BinaryPrimitives.WriteUInt16BigEndian(segment[6..], 0);
            checksumAt = 6;
        }
        ushort checksum = InternetChecksum.Finish(InternetChecksum.Add(InternetChecksum.PseudoHeader(_addresses, protocol, segmentBytes), segment));
        // UDP sends a computed zero as all ones (RFC 768).
        if (checksum == 0 && Flow.Protocol == TransportProtocol.Udp) checksum = 0xFFFF;
        BinaryPrimitives.WriteUInt16BigEndian(segment[checksumAt..], checksum);
    }

    private static byte[] AddressesOf(StreamFlowConfig flow)
    {
        int length = flow.IsIpv6 ? 16 : 4;
        var bytes = new byte[2 * length];
        flow.Source.Address.TryWriteBytes(bytes, out _);
        flow.Destination.Address.TryWriteBytes(bytes.AsSpan(length), out _);
        return bytes;
    }
}
