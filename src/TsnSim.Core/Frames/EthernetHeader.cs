using System.Buffers.Binary;

namespace TsnSim.Core.Frames;

/// <summary>The parsed front of an Ethernet II frame, with its 802.1Q tag when there is one.</summary>
public readonly record struct EthernetHeader(MacAddress Destination, MacAddress Source, VlanTag? Tag, ushort EtherType)
{
    public int Length => Ethernet.HeaderBytes + (Tag is null ? 0 : Ethernet.VlanTagBytes);

    /// <summary>Parses the header; false when the bytes are too short to hold one.</summary>
    public static bool TryParse(ReadOnlySpan<byte> frame, out EthernetHeader header)
    {
        header = default;
        if (frame.Length < Ethernet.HeaderBytes) return false;
        var destination = MacAddress.Read(frame);
        var source = MacAddress.Read(frame[6..]);
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(frame[12..]);
        if (type != EtherTypes.Vlan)
        {
            header = new EthernetHeader(destination, source, null, type);
            return true;
        }
        if (frame.Length < Ethernet.HeaderBytes + Ethernet.VlanTagBytes) return false;
        var tag = VlanTag.FromTci(BinaryPrimitives.ReadUInt16BigEndian(frame[14..]));
        header = new EthernetHeader(destination, source, tag, BinaryPrimitives.ReadUInt16BigEndian(frame[16..]));
        return true;
    }

    /// <summary>Writes the header; returns its length (14, or 18 with a tag).</summary>
    public int Write(Span<byte> frame)
    {
        Destination.Write(frame);
        Source.Write(frame[6..]);
        if (Tag is { } tag)
        {
            BinaryPrimitives.WriteUInt16BigEndian(frame[12..], EtherTypes.Vlan);
            BinaryPrimitives.WriteUInt16BigEndian(frame[14..], tag.Tci);
            BinaryPrimitives.WriteUInt16BigEndian(frame[16..], EtherType);
            return 18;
        }
        BinaryPrimitives.WriteUInt16BigEndian(frame[12..], EtherType);
        return 14;
    }

    /// <summary>
    /// Writes header and payload into <paramref name="frame"/>, zero-padding to the 60-byte minimum
    /// (64 with FCS); returns the frame length without FCS.
    /// </summary>
    public int Build(Span<byte> frame, ReadOnlySpan<byte> payload)
    {
        int offset = Write(frame);
        payload.CopyTo(frame[offset..]);
        int length = offset + payload.Length;
        int minimum = Ethernet.MinFrameBytes - Ethernet.FcsBytes;
        if (length < minimum)
        {
            frame[length..minimum].Clear();
            length = minimum;
        }
        return length;
    }
}
