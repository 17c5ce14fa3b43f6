using System.Net;
using System.Net.Sockets;

namespace TsnSim.Core.Nic;

/// <summary>
/// The bytes RSS hashes, in the order NDIS gives them: source address, destination address and,
/// for the TCP and UDP hash types, source port then destination port, all in network byte order.
/// </summary>
public static class RssInput
{
    /// <summary>Writes the input into <paramref name="into"/> (at least <see cref="ToeplitzHash.MaxInputBytes"/> bytes); returns its length.</summary>
    public static int Write(IPAddress source, IPAddress destination, (ushort Source, ushort Destination)? ports, Span<byte> into)
    {
        if (source.AddressFamily != destination.AddressFamily)
            throw new ArgumentException($"source {source} and destination {destination} are not of one IP version");
        int length = source.AddressFamily == AddressFamily.InterNetwork ? 4 : 16;
        source.TryWriteBytes(into, out _);
        destination.TryWriteBytes(into[length..], out _);
        length *= 2;
        if (ports is { } p)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(into[length..], p.Source);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(into[(length + 2)..], p.Destination);
            length += 4;
        }
        return length;
    }
}
