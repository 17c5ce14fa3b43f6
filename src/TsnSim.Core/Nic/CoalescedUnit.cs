using System.Buffers.Binary;
using TsnSim.Core.Frames;

namespace TsnSim.Core.Nic;

/// <summary>
/// One flow's coalesced unit (NDIS's SCU) as it grows: the segments it holds (each keeps its
/// descriptor and buffers until the unit is served), what the next segment must look like, and
/// when it opened. Reused from flow to flow: adding a segment allocates nothing.
/// </summary>
public sealed class CoalescedUnit
{
    private readonly byte[] _key = new byte[ToeplitzHash.MaxInputBytes];
    private int _keyLength;
    private byte[]? _bytes;

    internal CoalescedUnit(int capacity) => Segments = new List<Frame>(capacity);

    public List<Frame> Segments { get; }
    public bool Open => Segments.Count > 0;
    public uint NextSequence { get; internal set; }
    public uint Acknowledgment { get; internal set; }
    public byte Ecn { get; internal set; }
    public byte EcnFlags { get; internal set; }
    public bool Push { get; internal set; }
    public bool HasTimestamp { get; internal set; }
    public uint TimestampValue { get; internal set; }
    public int PayloadBytes { get; internal set; }
    public int DuplicateAcks { get; internal set; }
    public long OpenedPs { get; internal set; }
    /// <summary>Counts the units this context has held, so a flush timer set for an earlier one does nothing.</summary>
    public long Generation { get; internal set; }
    /// <summary>The frame of the last segment added: its ACK, window and timestamps are the unit's.</summary>
    internal Frame? Last { get; set; }

    internal bool Holds(ReadOnlySpan<byte> key) => Open && key.SequenceEqual(_key.AsSpan(0, _keyLength));

    internal void Begin(ReadOnlySpan<byte> key)
    {
        key.CopyTo(_key);
        _keyLength = key.Length;
        Generation++;
    }

    internal void Clear()
    {
        Segments.Clear();
        Last = null;
        (PayloadBytes, DuplicateAcks, Push, HasTimestamp) = (0, 0, false, false);
    }

    /// <summary>
    /// The unit as one TCP segment, as the host stack is handed it ("Indicating Coalesced
    /// Segments"): the first segment's headers with the IP length, the last segment's ACK,
    /// window and timestamps, PSH if any segment had it, every payload in order, and IP and TCP
    /// checksums recomputed. The buffer is the context's own, reused.
    /// </summary>
    public ReadOnlySpan<byte> Build()
    {
        var first = Segments[0].Bytes;
        var headers = PacketParser.Parse(first);
        int headerBytes = headers.PayloadOffset;
        int total = headerBytes + PayloadBytes;
        if (_bytes is null || _bytes.Length < total) _bytes = new byte[Math.Max(total, 2048)];
        var scu = _bytes.AsSpan(0, total);
        first[..headerBytes].CopyTo(scu);
        int at = headerBytes;
        foreach (var segment in Segments)
        {
            var h = PacketParser.Parse(segment.Bytes);
            segment.Bytes[h.PayloadOffset..h.IpEnd].CopyTo(scu[at..]);
            at += h.PayloadBytes;
        }
        int ip = headers.IpOffset, tcp = headers.TransportOffset;
        var last = Last!.Bytes;
        var lastHeaders = PacketParser.Parse(last);
        // ACK, window, and the timestamp option come from the last segment; PSH is ORed.
        last.Slice(lastHeaders.TransportOffset + 8, 4).CopyTo(scu[(tcp + 8)..]);
        last.Slice(lastHeaders.TransportOffset + 14, 2).CopyTo(scu[(tcp + 14)..]);
        if (HasTimestamp) last.Slice(lastHeaders.TransportOffset + 20, headers.TcpHeaderBytes - 20).CopyTo(scu[(tcp + 20)..]);
        // ECE and CWR are the same on every segment of a unit (a change closes it); they stay set.
        scu[tcp + 13] = (byte)(0x10 | (Push ? 0x08 : 0) | EcnFlags);
        int segmentBytes = total - tcp;
        Span<byte> addresses = stackalloc byte[32];
        scu.Slice(headers.AddressOffset, headers.AddressBytes).CopyTo(addresses);
        if (headers.IpVersion == 4)
        {
            BinaryPrimitives.WriteUInt16BigEndian(scu[(ip + 2)..], (ushort)(total - ip));
            BinaryPrimitives.WriteUInt16BigEndian(scu[(ip + 10)..], 0);
            BinaryPrimitives.WriteUInt16BigEndian(scu[(ip + 10)..], InternetChecksum.Finish(InternetChecksum.Add(0, scu.Slice(ip, headers.IpHeaderBytes))));
        }
        else BinaryPrimitives.WriteUInt16BigEndian(scu[(ip + 4)..], (ushort)(total - ip - 40));
        BinaryPrimitives.WriteUInt16BigEndian(scu[(tcp + 16)..], 0);
        uint sum = InternetChecksum.PseudoHeader(addresses[..headers.AddressBytes], IpProtocols.Tcp, segmentBytes);
        BinaryPrimitives.WriteUInt16BigEndian(scu[(tcp + 16)..], InternetChecksum.Finish(InternetChecksum.Add(sum, scu.Slice(tcp, segmentBytes))));
        return scu;
    }
}
