using System.Buffers.Binary;
using TsnSim.Core.Frames;

namespace TsnSim.Core.Nic;

/// <summary>
/// Receive segment coalescing on one Rx queue, by NDIS's rules: in-order TCP data segments of
/// a flow join its open unit, whose ACK, window and timestamps follow the latest segment and
/// whose PSH is the OR of theirs; a duplicate pure ACK is absorbed and counted. A segment
/// carrying SYN, FIN, RST or URG, TCP options other than timestamps, IP options or IPv6
/// extension headers, or that is a fragment, out of order, an advancing pure ACK or an older
/// timestamp, closes the unit and goes on alone; one that would take the unit past 65535 bytes,
/// or whose ECN bits differ, closes it and opens the next. A unit also closes when its flush
/// timer fires. Nothing is allocated per segment.
/// </summary>
public sealed class ReceiveSegmentCoalescer
{
    public const int MaximumDatagram = 65535;
    private const byte Fin = 0x01, Syn = 0x02, Rst = 0x04, Psh = 0x08, Ack = 0x10, Urg = 0x20, Ece = 0x40, Cwr = 0x80;

    private readonly int _queue;
    private readonly IRscSink _sink;
    private readonly CoalescedUnit[] _units;
    private readonly long[] _exceptions = new long[Enum.GetValues<RscException>().Length];

    public ReceiveSegmentCoalescer(int queue, int contexts, int segmentCapacity, IRscSink sink)
    {
        _queue = queue;
        _sink = sink;
        _units = Enumerable.Range(0, contexts).Select(_ => new CoalescedUnit(segmentCapacity)).ToArray();
    }

    /// <summary>Segments not coalesced, by why (index: <see cref="RscException"/>).</summary>
    public IReadOnlyList<long> Exceptions => _exceptions;

    public CoalescedUnit UnitAt(int context) => _units[context];

    public void Offer(Frame frame, in PacketHeaders h, long nowPs)
    {
        var bytes = frame.Bytes;
        Span<byte> key = stackalloc byte[ToeplitzHash.MaxInputBytes];
        bytes.Slice(h.AddressOffset, h.AddressBytes).CopyTo(key);
        bytes.Slice(h.TransportOffset, 4).CopyTo(key[h.AddressBytes..]);
        key = key[..(h.AddressBytes + 4)];
        int context = -1;
        for (int i = 0; i < _units.Length && context < 0; i++)
            if (_units[i].Holds(key)) context = i;
        var unit = context >= 0 ? _units[context] : null;

        var (exception, timestamp) = Examine(bytes, h);
        if (exception != RscException.None)
        {
            Close(unit, nowPs);
            Alone(frame, exception, nowPs);
            return;
        }
        byte ecnFlags = (byte)(h.TcpFlags & (Ece | Cwr));
        int payload = h.PayloadBytes;
        if (unit is null)
        {
            // A pure ACK with no unit to join has nothing to be coalesced with.
            if (payload == 0) { Alone(frame, RscException.None, nowPs); return; }
            for (int i = 0; i < _units.Length && context < 0; i++)
                if (!_units[i].Open) context = i;
            if (context < 0) { Alone(frame, RscException.NoContext, nowPs); return; }
            Begin(_units[context], context, key, frame, h, timestamp, nowPs);
            return;
        }
        // The unit's headers are the first segment's: a segment with another option layout (timestamps or not) cannot join it.
        if ((timestamp is not null) != unit.HasTimestamp)
        {
            Close(unit, nowPs);
            Alone(frame, RscException.TcpOptions, nowPs);
            return;
        }
        if (payload == 0)
        {
            // A duplicate ACK (RFC 5681): the same ACK and window, no data. A window update is not one.
            if (h.TcpAcknowledgment == unit.Acknowledgment && ecnFlags == unit.EcnFlags && h.TcpSequence == unit.NextSequence
                && BinaryPrimitives.ReadUInt16BigEndian(bytes[(h.TransportOffset + 14)..]) == WindowOf(unit.Last!))
            {
                unit.Segments.Add(frame);
                unit.DuplicateAcks++;
                return;
            }
            Close(unit, nowPs);
            Alone(frame, RscException.PureAck, nowPs);
            return;
        }
        if (h.TcpSequence != unit.NextSequence || (int)(h.TcpAcknowledgment - unit.Acknowledgment) < 0)
        {
            Close(unit, nowPs);
            Alone(frame, RscException.OutOfOrder, nowPs);
            return;
        }
        if (timestamp is { } ts && unit.HasTimestamp && (int)(ts - unit.TimestampValue) < 0)
        {
            Close(unit, nowPs);
            Alone(frame, RscException.Timestamp, nowPs);
            return;
        }
        bool ecnChanged = h.Ecn != unit.Ecn || ecnFlags != unit.EcnFlags;
        bool tooLong = h.PayloadOffset - h.IpOffset + unit.PayloadBytes + payload > MaximumDatagram;
        if (ecnChanged || tooLong)
        {
            // Exceptions 7 and 8: the unit closes, and coalescing resumes with this segment.
            _exceptions[(int)(tooLong ? RscException.Size : RscException.EcnChange)]++;
            Close(unit, nowPs);
            Begin(unit, context, key, frame, h, timestamp, nowPs);
            return;
        }
        Add(unit, frame, h, timestamp);
    }

    /// <summary>Closes the unit in <paramref name="context"/> if it is still the one of <paramref name="generation"/> (its flush timer fired).</summary>
    public void Flush(int context, long generation, long nowPs)
    {
        var unit = _units[context];
        if (unit.Open && unit.Generation == generation) Close(unit, nowPs);
    }

    private void Begin(CoalescedUnit unit, int context, ReadOnlySpan<byte> key, Frame frame, in PacketHeaders h, uint? timestamp, long nowPs)
    {
        unit.Begin(key);
        unit.Ecn = h.Ecn;
        unit.EcnFlags = (byte)(h.TcpFlags & (Ece | Cwr));
        unit.OpenedPs = nowPs;
        unit.HasTimestamp = timestamp is not null;
        Add(unit, frame, h, timestamp);
        _sink.Opened(_queue, context, unit.Generation, nowPs);
    }

    private static void Add(CoalescedUnit unit, Frame frame, in PacketHeaders h, uint? timestamp)
    {
        unit.Segments.Add(frame);
        unit.Last = frame;
        unit.NextSequence = h.TcpSequence + (uint)h.PayloadBytes;
        unit.Acknowledgment = h.TcpAcknowledgment;
        unit.PayloadBytes += h.PayloadBytes;
        unit.Push |= (h.TcpFlags & Psh) != 0;
        if (timestamp is { } ts) unit.TimestampValue = ts;
    }

    private void Close(CoalescedUnit? unit, long nowPs)
    {
        if (unit is not { Open: true }) return;
        _sink.Indicate(_queue, unit, nowPs);
        unit.Clear();
    }

    private void Alone(Frame frame, RscException why, long nowPs)
    {
        _exceptions[(int)why]++;
        _sink.IndicateAlone(_queue, frame, why, nowPs);
    }

    private static ushort WindowOf(Frame segment)
    {
        var h = PacketParser.Parse(segment.Bytes);
        return BinaryPrimitives.ReadUInt16BigEndian(segment.Bytes[(h.TransportOffset + 14)..]);
    }

    /// <summary>The checks on the segment alone (exceptions 3 to 6), and its TSval when it carries the timestamp option alone.</summary>
    private static (RscException Exception, uint? Timestamp) Examine(ReadOnlySpan<byte> bytes, in PacketHeaders h)
    {
        if (h.Fragment) return (RscException.Fragment, null);
        if (h.IpOptions || h.ExtensionHeaders) return (RscException.IpOptions, null);
        if ((h.TcpFlags & (Fin | Syn | Rst | Urg)) != 0 || (h.TcpFlags & Ack) == 0) return (RscException.Flags, null);
        int optionBytes = h.TcpHeaderBytes - 20;
        if (optionBytes == 0) return (RscException.None, null);
        // The one option allowed: timestamps, as RFC 7323 Appendix A lays it out (NOP, NOP, kind 8, length 10, TSval, TSecr).
        var options = bytes.Slice(h.TransportOffset + 20, optionBytes);
        if (optionBytes == 12 && options[0] == 1 && options[1] == 1 && options[2] == 8 && options[3] == 10)
            return (RscException.None, BinaryPrimitives.ReadUInt32BigEndian(options[4..]));
        return (RscException.TcpOptions, null);
    }
}
