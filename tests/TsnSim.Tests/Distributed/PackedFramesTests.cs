using TsnSim.Core.Distributed;
using TsnSim.Core.Frames;
using TsnSim.Core.Simulation;
using TsnSim.Core.Time;
using TsnSim.Hosting;
using TsnSim.Tests.Support;

namespace TsnSim.Tests.Distributed;

/// <summary>Frames cross processes packed, without their trailing zeros, and arrive byte for byte as they left.</summary>
public class PackedFramesTests
{
    [Fact]
    public void FramesArriveWithEveryByteAndTheirBookkeeping()
    {
        var topology = new TestNetwork().Host("a").Host("b")
            .Link("a:eth0", "b:eth0", DataRate.Parse("1Gbps"), SimTime.Parse("1us"))
            .Build(SimTime.Parse("1ms"));
        var settings = new RunSettings(1, topology.Duration!.Value, SimTime.Zero);
        var sender = new FramePool();
        int[] nonzero = [60, 50, 0, 9000];
        var originals = new[] { Bytes(60, nonzero[0]), Bytes(1500, nonzero[1]), Bytes(200, nonzero[2]), Bytes(9212, nonzero[3]) };
        var outbound = originals.Select((bytes, i) =>
        {
            var frame = sender.Rent(bytes.Length);
            bytes.CopyTo(frame.Buffer, 0);
            frame.Length = bytes.Length;
            frame.Id = 100 + i;
            frame.StreamIndex = i;
            frame.Sequence = 7 * i;
            frame.CreatedAt = new SimTime(1000 * i);
            // Direction 0 is a:eth0 -> b:eth0; delivered one microsecond apart, after the lookahead.
            return new OutboundFrame(0, 2_000_000 + 1_000_000L * i, i, 500_000L * i, frame);
        }).ToList();

        var packed = PackedFrames.Pack(outbound);
        // Trailing zeros stay home: each record is its header and the bytes up to the last nonzero one.
        Assert.Equal(nonzero.Sum(n => PackedFrames.HeaderBytes + n), packed.Length);

        var receiver = PartitionBuilder.Build(topology, settings, PartitionLayout.OnePerNode(topology), "b");
        var sync = new ConservativeSynchronizer(receiver, settings.Duration);
        PackedFrames.Deliver(packed.Span, sync, "a");
        var arrivals = receiver.ArrivalScheduler!.Pending.ToArray().OrderBy(e => e.Time).ToList();
        Assert.Equal(originals.Length, arrivals.Count);
        for (int i = 0; i < originals.Length; i++)
        {
            var frame = arrivals[i].Frame!;
            Assert.Equal(originals[i], frame.Bytes.ToArray());
            Assert.Equal((100 + i, i, 7L * i, 1000L * i), (frame.Id, frame.StreamIndex, frame.Sequence, frame.CreatedAt.Picoseconds));
            Assert.Equal((2_000_000 + 1_000_000L * i, (long)i, 500_000L * i), (arrivals[i].Time, arrivals[i].Sequence, arrivals[i].Argument));
        }
    }

    [Fact]
    public void ALargeBatchTravelsInMessagesUnderTheLimitWithThePromiseLast()
    {
        var pool = new FramePool();
        var batch = new PeerBatch("b") { HorizonPs = 99_000_000 };
        for (int i = 0; i < 100; i++)
        {
            // Incompressible 1500-byte frames: 100 of them cannot fit one 64 KB message.
            var frame = pool.Rent(1500);
            Bytes(1500, 1500).CopyTo(frame.Buffer, 0);
            frame.Length = 1500;
            batch.Frames.Add(new OutboundFrame(0, 2_000_000 + i, i, 0, frame));
        }
        batch.Promises.Add(new LinkPromise(0, 50_000_000, 50_000_000, 50_000_000));
        var messages = LinkMessages.ToMessages(batch, pool).ToList();
        // 100 records of 60 + 1500 bytes in chunks of at most 65,536 bytes: 42 a message, so 3 messages.
        Assert.Equal(3, messages.Count);
        Assert.All(messages, m => Assert.True(m.Batch.PackedFrames.Length <= LinkMessages.MaxPackedBytes));
        Assert.Equal(100 * (PackedFrames.HeaderBytes + 1500), messages.Sum(m => m.Batch.PackedFrames.Length));
        Assert.All(messages[..^1], m => Assert.Empty(m.Batch.Promises));
        Assert.Equal(50_000_000, Assert.Single(messages[^1].Batch.Promises).UntilPs);
        Assert.Equal(99_000_000, messages[^1].Batch.HorizonPs);
    }

    [Fact]
    public void ATruncatedRecordIsRefusedNamingThePeer()
    {
        var topology = new TestNetwork().Host("a").Host("b")
            .Link("a:eth0", "b:eth0", DataRate.Parse("1Gbps"), SimTime.Parse("1us"))
            .Build(SimTime.Parse("1ms"));
        var settings = new RunSettings(1, topology.Duration!.Value, SimTime.Zero);
        var sync = new ConservativeSynchronizer(PartitionBuilder.Build(topology, settings, PartitionLayout.OnePerNode(topology), "b"), settings.Duration);
        var error = Assert.Throws<InvalidOperationException>(() => PackedFrames.Deliver(new byte[PackedFrames.HeaderBytes - 1], sync, "a"));
        Assert.Contains("peer 'a'", error.Message);
    }

    /// <summary>Bytes that are nonzero (but for a zero in the middle) up to a point, then zero.</summary>
    private static byte[] Bytes(int length, int nonzeroUpTo) =>
        Enumerable.Range(0, length).Select(i => (byte)(i < nonzeroUpTo && i != nonzeroUpTo / 2 ? 1 + i % 250 : 0)).ToArray();
}
