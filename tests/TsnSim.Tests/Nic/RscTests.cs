using System.Buffers.Binary;
using TsnSim.Core.Frames;
using TsnSim.Core.Nic;

namespace TsnSim.Tests.Nic;

/// <summary>
/// Receive segment coalescing, one test per rule of NDIS's "Exception Conditions that
/// Terminate Coalescing" and "Rules for Coalescing TCP/IP Segments", on segments written byte
/// by byte; and the coalesced unit as the host stack gets it, checked against RFC 791 and RFC
/// 793's header fields and an RFC 1071 checksum computed here.
/// </summary>
public class RscTests
{
    private const byte Ack = 0x10, Psh = 0x08, Fin = 0x01, Syn = 0x02, Rst = 0x04, Urg = 0x20, Ece = 0x40;

    private sealed class Sink : IRscSink
    {
        public List<(int Segments, int DuplicateAcks, byte[] Bytes)> Units { get; } = [];
        public List<(Frame Segment, RscException Why)> Alone { get; } = [];
        public List<(int Context, long Generation, long At)> Opened { get; } = [];

        public void Indicate(int queue, CoalescedUnit unit, long atPs) =>
            Units.Add((unit.Segments.Count, unit.DuplicateAcks, unit.Segments.Count > 1 ? unit.Build().ToArray() : unit.Segments[0].Bytes.ToArray()));

        public void IndicateAlone(int queue, Frame segment, RscException why, long atPs) => Alone.Add((segment, why));

        void IRscSink.Opened(int queue, int context, long generation, long atPs) => Opened.Add((context, generation, atPs));
    }

    private static readonly FramePool Pool = new();

    /// <summary>A TCP/IPv4 segment from 10.0.0.1:5000 to 10.0.0.2:80 (or from <paramref name="sourcePort"/>), written from RFC 791 and RFC 793.</summary>
    private static Frame Segment(uint seq, int payload, byte flags = Ack | Psh, uint ack = 1000, byte[]? tcpOptions = null, byte ecn = 0,
        ushort flagsAndOffset = 0x4000, int ipOptionWords = 0, ushort sourcePort = 5000, ushort window = 8192)
    {
        int ipBytes = 20 + 4 * ipOptionWords, tcpBytes = 20 + (tcpOptions?.Length ?? 0);
        var bytes = new byte[14 + ipBytes + tcpBytes + payload];
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(12), 0x0800);
        var ip = bytes.AsSpan(14);
        ip[0] = (byte)(0x40 | ipBytes / 4);
        ip[1] = ecn;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(ipBytes + tcpBytes + payload));
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], (ushort)seq);
        BinaryPrimitives.WriteUInt16BigEndian(ip[6..], flagsAndOffset);
        ip[8] = 64;
        ip[9] = 6;
        ip[12] = 10; ip[15] = 1; ip[16] = 10; ip[19] = 2;
        for (int i = 20; i < ipBytes; i++) ip[i] = 1;
        var tcp = ip[ipBytes..];
        BinaryPrimitives.WriteUInt16BigEndian(tcp, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[2..], 80);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[4..], seq);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[8..], ack);
        tcp[12] = (byte)(tcpBytes / 4 << 4);
        tcp[13] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(tcp[14..], window);
        tcpOptions?.CopyTo(tcp[20..]);
        for (int i = 0; i < payload; i++) tcp[tcpBytes + i] = (byte)(seq + i);
        var frame = Pool.Rent(bytes.Length);
        bytes.CopyTo(frame.Buffer, 0);
        frame.Length = bytes.Length;
        return frame;
    }

    private static byte[] Timestamps(uint value) => [1, 1, 8, 10, (byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value, 0, 0, 0, 7];

    private static (ReceiveSegmentCoalescer Rsc, Sink Sink) Coalescer(int contexts = 4)
    {
        var sink = new Sink();
        return (new ReceiveSegmentCoalescer(0, contexts, 256, sink), sink);
    }

    private static void Offer(ReceiveSegmentCoalescer rsc, params Frame[] segments)
    {
        foreach (var segment in segments) rsc.Offer(segment, PacketParser.Parse(segment.Bytes), 0);
    }

    private static void FlushAll(ReceiveSegmentCoalescer rsc, Sink sink)
    {
        foreach (var (context, generation, _) in sink.Opened.ToList()) rsc.Flush(context, generation, 1);
    }

    [Fact]
    public void InOrderSegmentsBecomeOneUnitThatLooksLikeOneSegment()
    {
        var (rsc, sink) = Coalescer();
        Offer(rsc, Segment(1, 1000, Ack), Segment(1001, 1000, Ack | Psh, ack: 1500, window: 9000), Segment(2001, 500, Ack, ack: 1600, window: 7000));
        Assert.Empty(sink.Units);
        FlushAll(rsc, sink);
        var (segments, dupAcks, scu) = Assert.Single(sink.Units);
        Assert.Equal((3, 0), (segments, dupAcks));
        var ip = scu.AsSpan(14);
        // RFC 791: total length covers the 20-byte header, the 20-byte TCP header and 2500 bytes; the checksum is over the header.
        Assert.Equal(2540, BinaryPrimitives.ReadUInt16BigEndian(ip[2..]));
        Assert.Equal(1, BinaryPrimitives.ReadUInt16BigEndian(ip[4..])); // the first segment's identification
        Assert.Equal(0, Rfc1071(ip[..20]));
        var tcp = ip[20..];
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32BigEndian(tcp[4..]));     // the first sequence number
        Assert.Equal(1600u, BinaryPrimitives.ReadUInt32BigEndian(tcp[8..]));  // the last ACK
        Assert.Equal(7000, BinaryPrimitives.ReadUInt16BigEndian(tcp[14..]));  // the last window
        Assert.Equal(Ack | Psh, tcp[13]);                                     // PSH is ORed in
        // RFC 793's checksum over the pseudo-header and the whole segment sums to zero.
        var pseudo = new byte[12 + tcp.Length];
        ip.Slice(12, 8).CopyTo(pseudo);
        pseudo[9] = 6;
        BinaryPrimitives.WriteUInt16BigEndian(pseudo.AsSpan(10), (ushort)tcp.Length);
        tcp.CopyTo(pseudo.AsSpan(12));
        Assert.Equal(0, Rfc1071(pseudo));
        // The payloads in order: byte i of the unit is (1 + i) mod 256, as each segment wrote its own.
        var data = tcp[20..];
        Assert.Equal(2500, data.Length);
        for (int i = 0; i < data.Length; i++) Assert.Equal((byte)(1 + i), data[i]);
    }

    /// <summary>RFC 1071: the ones' complement sum of 16-bit words; over data that includes its own checksum, a correct one leaves 0 after complementing.</summary>
    private static int Rfc1071(ReadOnlySpan<byte> data)
    {
        long sum = 0;
        for (int i = 0; i < data.Length; i += 2) sum += data[i] << 8 | (i + 1 < data.Length ? data[i + 1] : 0);
        while (sum >> 16 != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        return (int)(~sum & 0xFFFF);
    }

    public static IEnumerable<object[]> SegmentsThatGoOnAlone() => new (string Rule, Func<Frame> Segment, RscException Why)[]
    {
        ("3: SYN", () => Segment(1001, 100, Ack | Syn), RscException.Flags),
        ("3: FIN", () => Segment(1001, 100, Ack | Fin), RscException.Flags),
        ("3: RST", () => Segment(1001, 100, Ack | Rst), RscException.Flags),
        ("3: URG", () => Segment(1001, 100, Ack | Urg), RscException.Flags),
        ("4: an MSS option", () => Segment(1001, 100, tcpOptions: [2, 4, 5, 180]), RscException.TcpOptions),
        ("4: SACK", () => Segment(1001, 100, tcpOptions: [1, 1, 5, 10, 0, 0, 0, 1, 0, 0, 0, 2]), RscException.TcpOptions),
        ("5: IPv4 options", () => Segment(1001, 100, ipOptionWords: 1), RscException.IpOptions),
        ("6: a fragment", () => Segment(1001, 100, flagsAndOffset: 0x2000), RscException.Fragment),
        ("out of order", () => Segment(1501, 100), RscException.OutOfOrder),
        ("a pure ACK that acknowledges more", () => Segment(1001, 0, Ack, ack: 2000), RscException.PureAck),
    }.Select(c => new object[] { c.Rule, c.Segment, c.Why });

    [Theory]
    [MemberData(nameof(SegmentsThatGoOnAlone))]
    public void AnExceptionClosesTheUnitAndTheSegmentGoesOnAlone(string rule, Func<Frame> segment, RscException why)
    {
        var (rsc, sink) = Coalescer();
        Offer(rsc, Segment(1, 500), Segment(501, 500));
        var odd = segment();
        Offer(rsc, odd);
        var unit = Assert.Single(sink.Units);
        Assert.True(unit.Segments == 2, rule);
        Assert.Equal((odd, why), Assert.Single(sink.Alone));
        // Nothing is left open: the next in-order segment starts afresh.
        Offer(rsc, Segment(1001, 100));
        Assert.Equal(2, sink.Opened.Count);
    }

    [Fact]
    public void TheTimestampOptionAloneIsCoalescedAndAnOlderTimestampEndsTheUnit()
    {
        var (rsc, sink) = Coalescer();
        Offer(rsc, Segment(1, 100, tcpOptions: Timestamps(10)), Segment(101, 100, tcpOptions: Timestamps(11)));
        Assert.Empty(sink.Alone);
        Offer(rsc, Segment(201, 100, tcpOptions: Timestamps(9)));
        Assert.Equal(2, Assert.Single(sink.Units).Segments);
        Assert.Equal(RscException.Timestamp, Assert.Single(sink.Alone).Why);
        // The unit carries the latest segment's TSval (11) in its own option.
        var scu = sink.Units[0].Bytes.AsSpan(14 + 20);
        Assert.Equal(11u, BinaryPrimitives.ReadUInt32BigEndian(scu[(20 + 4)..]));
    }

    [Fact]
    public void AnEcnChangeClosesTheUnitAndCoalescingResumesWithTheSegment()
    {
        var (rsc, sink) = Coalescer();
        Offer(rsc, Segment(1, 100, ecn: 0x02), Segment(101, 100, ecn: 0x02), Segment(201, 100, ecn: 0x03), Segment(301, 100, ecn: 0x03));
        Assert.Equal(2, Assert.Single(sink.Units).Segments);
        Assert.Empty(sink.Alone);
        // ECE in the TCP header changes too: again a new unit.
        Offer(rsc, Segment(401, 100, Ack | Ece, ecn: 0x03));
        Assert.Equal([2, 2], sink.Units.Select(u => u.Segments));
        FlushAll(rsc, sink);
        Assert.Equal([2, 2, 1], sink.Units.Select(u => u.Segments));
        Assert.Equal(2, rsc.Exceptions[(int)RscException.EcnChange]);
    }

    [Fact]
    public void AUnitNeverExceedsTheLargestIpDatagram()
    {
        var (rsc, sink) = Coalescer();
        // 40 bytes of headers + 45 × 1460 = 65740 > 65535: the 45th segment starts the next unit.
        for (int i = 0; i < 45; i++) Offer(rsc, Segment(1 + (uint)(i * 1460), 1460));
        var (segments, _, scu) = Assert.Single(sink.Units);
        Assert.Equal(44, segments);
        Assert.Equal(40 + 44 * 1460, BinaryPrimitives.ReadUInt16BigEndian(scu.AsSpan(16)));
        Assert.Equal(1, rsc.Exceptions[(int)RscException.Size]);
    }

    [Fact]
    public void ADuplicatePureAckIsAbsorbedAndCounted()
    {
        var (rsc, sink) = Coalescer();
        // A pure ACK's sequence number is the sender's next one (RFC 793): 101 after the first 100 bytes.
        Offer(rsc, Segment(1, 100, ack: 700), Segment(101, 0, Ack, ack: 700), Segment(101, 0, Ack, ack: 700), Segment(101, 100, ack: 700));
        FlushAll(rsc, sink);
        var (segments, dupAcks, scu) = Assert.Single(sink.Units);
        Assert.Equal((4, 2), (segments, dupAcks));
        Assert.Equal(40 + 200, BinaryPrimitives.ReadUInt16BigEndian(scu.AsSpan(16)));
    }

    [Fact]
    public void TheUnitKeepsItsSegmentsEceAndNeitherAWindowUpdateNorAnotherOptionLayoutJoinsIt()
    {
        var (rsc, sink) = Coalescer();
        Offer(rsc, Segment(1, 100, Ack | Ece), Segment(101, 100, Ack | Ece | Psh));
        FlushAll(rsc, sink);
        Assert.Equal(Ack | Ece | Psh, sink.Units.Single().Bytes[14 + 20 + 13]);

        // RFC 5681: an ACK that changes the window is not a duplicate ACK.
        (rsc, sink) = Coalescer();
        Offer(rsc, Segment(1, 100, ack: 700), Segment(101, 0, Ack, ack: 700, window: 9000));
        Assert.Equal(RscException.PureAck, Assert.Single(sink.Alone).Why);

        // A unit's headers are its first segment's: one without the timestamp option does not join one with it.
        (rsc, sink) = Coalescer();
        Offer(rsc, Segment(1, 100, tcpOptions: Timestamps(5)), Segment(101, 100));
        Assert.Equal(1, Assert.Single(sink.Units).Segments);
        Assert.Equal(RscException.TcpOptions, Assert.Single(sink.Alone).Why);
    }

    [Fact]
    public void FlowsCoalesceApartAndAFlowBeyondTheContextsGoesOnAlone()
    {
        var (rsc, sink) = Coalescer(contexts: 2);
        Offer(rsc, Segment(1, 100, sourcePort: 1), Segment(1, 100, sourcePort: 2), Segment(1, 100, sourcePort: 3), Segment(101, 100, sourcePort: 1), Segment(101, 100, sourcePort: 2));
        Assert.Equal(RscException.NoContext, Assert.Single(sink.Alone).Why);
        FlushAll(rsc, sink);
        Assert.Equal([2, 2], sink.Units.Select(u => u.Segments));
    }

    [Fact]
    public void AFlushTimerForAnEarlierUnitDoesNotCloseALaterOne()
    {
        var (rsc, sink) = Coalescer();
        Offer(rsc, Segment(1, 100), Segment(101, 100, Ack | Fin));
        Offer(rsc, Segment(1, 100, sourcePort: 7));
        var (context, generation, _) = sink.Opened[0];
        rsc.Flush(context, generation, 5);
        // The first unit closed on FIN; its context now holds port 7's unit, which that old timer must leave open.
        Assert.Single(sink.Units);
        Assert.True(rsc.UnitAt(sink.Opened[1].Context).Open);
    }

    private sealed class QuietSink : IRscSink
    {
        public long Bytes;
        public void Indicate(int queue, CoalescedUnit unit, long atPs) => Bytes += unit.Segments.Count > 1 ? unit.Build().Length : 0;
        public void IndicateAlone(int queue, Frame segment, RscException why, long atPs) { }
        public void Opened(int queue, int context, long generation, long atPs) => (Context, Generation) = (context, generation);
        public int Context;
        public long Generation;
    }

    [Fact]
    public void CoalescingAllocatesNothingPerSegment()
    {
        var sink = new QuietSink();
        var rsc = new ReceiveSegmentCoalescer(0, 8, 256, sink);
        var segments = Enumerable.Range(0, 4000).Select(i => Segment(1 + (uint)i * 1460, 1460)).ToArray();
        var headers = segments.Select(s => PacketParser.Parse(s.Bytes)).ToArray();
        void Round()
        {
            for (int i = 0; i < segments.Length; i++)
            {
                rsc.Offer(segments[i], headers[i], i);
                // A flush every 16 segments, as a timer would.
                if (i % 16 == 15) rsc.Flush(sink.Context, sink.Generation, i);
            }
            rsc.Flush(sink.Context, sink.Generation, segments.Length);
        }
        Round();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Round();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        // And the units were built: 2 rounds of 250 units of 16 segments, each 40 + 16 × 1460 bytes after its Ethernet header.
        Assert.Equal(2 * 250 * (14 + 40 + 16 * 1460L), sink.Bytes);
    }
}
