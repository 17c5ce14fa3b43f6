using System.Buffers.Binary;
using TsnSim.Core.Time;

namespace TsnSim.Core.Frames;

/// <summary>
/// The 32 bytes a talker puts at the front of each stream frame's payload (EtherType 0x88B5), so a
/// capture tells which stream, sequence and send time each frame had:
/// magic "TSNS", stream index (u32), sequence (u64), frame id (u64), created-at in ps (u64), big-endian.
/// </summary>
public readonly record struct StreamPayload(int StreamIndex, long Sequence, long FrameId, SimTime CreatedAt)
{
    public const int Length = 32;
    public const uint Magic = 0x54534E53; // "TSNS"

    public void Write(Span<byte> payload)
    {
        BinaryPrimitives.WriteUInt32BigEndian(payload, Magic);
        BinaryPrimitives.WriteUInt32BigEndian(payload[4..], (uint)StreamIndex);
        BinaryPrimitives.WriteInt64BigEndian(payload[8..], Sequence);
        BinaryPrimitives.WriteInt64BigEndian(payload[16..], FrameId);
        BinaryPrimitives.WriteInt64BigEndian(payload[24..], CreatedAt.Picoseconds);
    }

    public static bool TryRead(ReadOnlySpan<byte> payload, out StreamPayload value)
    {
        value = default;
        if (payload.Length < Length || BinaryPrimitives.ReadUInt32BigEndian(payload) != Magic) return false;
        value = new StreamPayload(
            (int)BinaryPrimitives.ReadUInt32BigEndian(payload[4..]),
            BinaryPrimitives.ReadInt64BigEndian(payload[8..]),
            BinaryPrimitives.ReadInt64BigEndian(payload[16..]),
            new SimTime(BinaryPrimitives.ReadInt64BigEndian(payload[24..])));
        return true;
    }
}
