using System.Buffers.Binary;

namespace TsnSim.Core.Frames;

/// <summary>The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit words.</summary>
public static class InternetChecksum
{
    /// <summary>Adds <paramref name="bytes"/> to a running sum (an odd last byte is padded with zero).</summary>
    public static uint Add(uint sum, ReadOnlySpan<byte> bytes)
    {
        int i = 0;
        for (; i + 1 < bytes.Length; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(bytes[i..]);
        if (i < bytes.Length) sum += (uint)bytes[i] << 8;
        return sum;
    }

    /// <summary>Folds the carries and complements: the value to write in the header.</summary>
    public static ushort Finish(uint sum)
    {
        while (sum >> 16 != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }

    /// <summary>The sum of the IPv4 or IPv6 pseudo-header of a TCP or UDP segment (RFC 793, RFC 768, RFC 8200 §8.1).</summary>
    public static uint PseudoHeader(ReadOnlySpan<byte> addresses, byte protocol, int length) =>
        Add(0, addresses) + protocol + (uint)(length >> 16) + (uint)(length & 0xFFFF);
}
