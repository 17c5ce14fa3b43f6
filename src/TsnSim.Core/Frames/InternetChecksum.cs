using System.Buffers.Binary;

namespace TsnSim.Core.Frames;

/// <summary>The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit words.</summary>
public static class InternetChecksum
{
    /// <summary>Adds <paramref name="bytes"/> to a running sum (an odd last byte is padded with zero).</summary>
    public static uint Add(uint sum, ReadOnlySpan<byte> bytes)
    {
        // RFC 1071 §2(B): the sum may be taken in wider words and folded after; 32-bit words into 64 bits, 16 bytes a turn.
        ulong wide = sum;
        int i = 0;
        for (; i + 16 <= bytes.Length; i += 16)
            wide += (ulong)BinaryPrimitives.ReadUInt32BigEndian(bytes[i..]) + BinaryPrimitives.ReadUInt32BigEndian(bytes[(i + 4)..])
                + BinaryPrimitives.ReadUInt32BigEndian(bytes[(i + 8)..]) + BinaryPrimitives.ReadUInt32BigEndian(bytes[(i + 12)..]);
        for (; i + 4 <= bytes.Length; i += 4) wide += BinaryPrimitives.ReadUInt32BigEndian(bytes[i..]);
        for (; i + 1 < bytes.Length; i += 2) wide += BinaryPrimitives.ReadUInt16BigEndian(bytes[i..]);
        if (i < bytes.Length) wide += (uint)bytes[i] << 8;
        // Fold to 32 bits; the words of a 32-bit sum fold to the same 16-bit sum as the 16-bit words would.
        wide = (wide & 0xFFFFFFFF) + (wide >> 32);
        wide = (wide & 0xFFFFFFFF) + (wide >> 32);
        return (uint)((wide & 0xFFFF) + (wide >> 16));
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
