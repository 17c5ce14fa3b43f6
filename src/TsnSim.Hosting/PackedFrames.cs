using System.Buffers.Binary;
using Google.Protobuf;
using TsnSim.Core.Distributed;
using TsnSim.Core.Frames;

namespace TsnSim.Hosting;

/// <summary>
/// The packed form of a batch's frames (see <c>LinkBatch.packed_frames</c> in link.proto):
/// fixed-size records with the frame bytes inline, written and read without a message object
/// per frame. Trailing zero bytes are left out and restored on arrival: a stream frame is a
/// few dozen bytes of headers and a zero fill, so a 1500-byte frame travels as about 50.
/// The hot path of a distributed run.
/// </summary>
public static class PackedFrames
{
    public const int HeaderBytes = 4 + 8 + 8 + 8 + 8 + 4 + 8 + 8 + 2 + 2 + 8;

    [ThreadStatic]
    private static byte[]? _scratch;

    public static ByteString Pack(IReadOnlyList<OutboundFrame> frames)
    {
        int size = 0;
        foreach (var f in frames) size += RecordSize(f.Frame);
        var buffer = _scratch is { } s && s.Length >= size ? s : _scratch = new byte[Math.Max(size, 64 << 10)];
        var span = buffer.AsSpan();
        int at = 0;
        foreach (var f in frames)
        {
            var frame = f.Frame;
            var record = span[at..];
            BinaryPrimitives.WriteInt32LittleEndian(record, f.Link);
            BinaryPrimitives.WriteInt64LittleEndian(record[4..], f.DeliverAtPs);
            BinaryPrimitives.WriteInt64LittleEndian(record[12..], f.Sequence);
            BinaryPrimitives.WriteInt64LittleEndian(record[20..], f.TransmitStartPs);
            BinaryPrimitives.WriteInt64LittleEndian(record[28..], frame.Id);
            BinaryPrimitives.WriteInt32LittleEndian(record[36..], frame.StreamIndex);
            BinaryPrimitives.WriteInt64LittleEndian(record[40..], frame.Sequence);
            BinaryPrimitives.WriteInt64LittleEndian(record[48..], frame.CreatedAt.Picoseconds);
            int stored = Stored(frame.Bytes);
            BinaryPrimitives.WriteUInt16LittleEndian(record[56..], checked((ushort)frame.Length));
            BinaryPrimitives.WriteUInt16LittleEndian(record[58..], (ushort)stored);
            BinaryPrimitives.WriteInt64LittleEndian(record[60..], frame.GateWait.Picoseconds);
            frame.Bytes[..stored].CopyTo(record[HeaderBytes..]);
            at += HeaderBytes + stored;
        }
        return ByteString.CopyFrom(buffer, 0, at);
    }

    /// <summary>Bytes the frame's record takes in a packed blob.</summary>
    public static int RecordSize(Frame frame) => HeaderBytes + Stored(frame.Bytes);

    /// <summary>How many leading bytes to send: all but the trailing zeros.</summary>
    private static int Stored(ReadOnlySpan<byte> bytes)
    {
        int last = bytes.LastIndexOfAnyExcept((byte)0);
        return last + 1;
    }

    /// <summary>Delivers every packed frame to its inbound link; throws on a truncated record.</summary>
    public static void Deliver(ReadOnlySpan<byte> packed, ConservativeSynchronizer sync, string peer)
    {
        while (packed.Length > 0)
        {
            if (packed.Length < HeaderBytes)
                throw new InvalidOperationException($"peer '{peer}' sent a truncated frame record ({packed.Length} bytes left, a header needs {HeaderBytes})");
            int length = BinaryPrimitives.ReadUInt16LittleEndian(packed[56..]);
            int stored = BinaryPrimitives.ReadUInt16LittleEndian(packed[58..]);
            if (stored > length || packed.Length < HeaderBytes + stored)
                throw new InvalidOperationException($"peer '{peer}' sent a frame record of {length} bytes ({stored} stored) with only {packed.Length - HeaderBytes} left");
            sync.Inbound(BinaryPrimitives.ReadInt32LittleEndian(packed)).Deliver(
                packed.Slice(HeaderBytes, stored),
                length,
                deliverAtPs: BinaryPrimitives.ReadInt64LittleEndian(packed[4..]),
                sequence: BinaryPrimitives.ReadInt64LittleEndian(packed[12..]),
                transmitStartPs: BinaryPrimitives.ReadInt64LittleEndian(packed[20..]),
                frameId: BinaryPrimitives.ReadInt64LittleEndian(packed[28..]),
                stream: BinaryPrimitives.ReadInt32LittleEndian(packed[36..]),
                streamSequence: BinaryPrimitives.ReadInt64LittleEndian(packed[40..]),
                createdAtPs: BinaryPrimitives.ReadInt64LittleEndian(packed[48..]),
                gateWaitPs: BinaryPrimitives.ReadInt64LittleEndian(packed[60..]));
            packed = packed[(HeaderBytes + stored)..];
        }
    }
}
