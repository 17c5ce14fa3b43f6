using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using TsnSim.Core.Frames;
using TsnSim.Core.Nic;

namespace TsnSim.Benchmarks;

/// <summary>
/// Receive segment coalescing: in-order 1460-byte TCP/IPv4 segments of one flow offered to a
/// queue's coalescer, a unit closed (and built as one segment, checksums included) every 16
/// segments. Per segment: the time, and the bytes allocated (expected none).
/// </summary>
[MemoryDiagnoser]
public class RscBenchmarks
{
    private const int Segments = 1024;
    private const int PerUnit = 16;
    private readonly Frame[] _segments = new Frame[Segments];
    private readonly PacketHeaders[] _headers = new PacketHeaders[Segments];
    private readonly Sink _sink = new();
    private ReceiveSegmentCoalescer _rsc = null!;

    private sealed class Sink : IRscSink
    {
        public int Context;
        public long Generation;
        public long Bytes;
        public void Indicate(int queue, CoalescedUnit unit, long atPs) => Bytes += unit.Build().Length;
        public void IndicateAlone(int queue, Frame segment, RscException why, long atPs) { }
        public void Opened(int queue, int context, long generation, long atPs) => (Context, Generation) = (context, generation);
    }

    [GlobalSetup]
    public void Setup()
    {
        var pool = new FramePool();
        for (int i = 0; i < Segments; i++)
        {
            var frame = pool.Rent(14 + 40 + 1460);
            var bytes = frame.Buffer.AsSpan(0, 14 + 40 + 1460);
            bytes.Clear();
            BinaryPrimitives.WriteUInt16BigEndian(bytes[12..], EtherTypes.Ipv4);
            bytes[14] = 0x45;
            BinaryPrimitives.WriteUInt16BigEndian(bytes[16..], 40 + 1460);
            bytes[23] = IpProtocols.Tcp;
            bytes[26] = 10; bytes[29] = 1; bytes[30] = 10; bytes[33] = 2;
            BinaryPrimitives.WriteUInt32BigEndian(bytes[38..], 1 + (uint)i * 1460);
            bytes[46] = 5 << 4;
            bytes[47] = 0x10;
            frame.Length = bytes.Length;
            _segments[i] = frame;
            _headers[i] = PacketParser.Parse(frame.Bytes);
        }
        _rsc = new ReceiveSegmentCoalescer(0, 8, 256, _sink);
    }

    [Benchmark(OperationsPerInvoke = Segments, Description = "RSC, per 1460-byte segment (unit of 16 built)")]
    public long Coalesce()
    {
        for (int i = 0; i < Segments; i++)
        {
            _rsc.Offer(_segments[i], _headers[i], i);
            if (i % PerUnit == PerUnit - 1) _rsc.Flush(_sink.Context, _sink.Generation, i);
        }
        return _sink.Bytes;
    }
}
