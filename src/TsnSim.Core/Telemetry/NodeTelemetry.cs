using System.Buffers.Binary;
using System.Security.Cryptography;
using TsnSim.Core.Engine;
using TsnSim.Core.Frames;
using TsnSim.Core.Time;

namespace TsnSim.Core.Telemetry;

/// <summary>
/// What one node records: its hop log (hashed as it goes, so a long run keeps no log in memory)
/// and its stream tallies. Each node hashes only the hops it received, in its own event order,
/// which does not depend on which process runs it; the run's digest combines the nodes' digests.
/// </summary>
public sealed class NodeTelemetry : IDisposable
{
    private const int RecordBytes = 56;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    // Records are hashed a block at a time: one hash call per 85 hops instead of per hop.
    private readonly byte[] _block = new byte[RecordBytes * 85];
    private int _blockUsed;
    private readonly StreamTally[] _streams;

    public NodeTelemetry(string node, int streamCount, IFrameLogSink? sink)
    {
        Node = node;
        Sink = sink;
        _streams = new StreamTally[streamCount];
        for (int i = 0; i < streamCount; i++) _streams[i] = new StreamTally();
    }

    public string Node { get; }
    public IFrameLogSink? Sink { get; }
    /// <summary>Hops received so far, held ones included.</summary>
    public long Hops => _logged + (_held?.Count ?? 0);
    private long _logged;
    public IReadOnlyList<StreamTally> Streams => _streams;

    private readonly SortedDictionary<int, StreamTally> _liveStreams = new();

    /// <summary>The tally of a topology stream, or of a live stream (created on first use).</summary>
    public StreamTally Stream(int index)
    {
        if ((uint)index < (uint)_streams.Length) return _streams[index];
        if (!_liveStreams.TryGetValue(index, out var tally)) _liveStreams[index] = tally = new StreamTally();
        return tally;
    }

    /// <summary>Tallies of live streams (started or injected while the run went on) this node sent or received, by index.</summary>
    public IReadOnlyDictionary<int, StreamTally> LiveStreams => _liveStreams;

    private readonly List<ClockSample> _clockSamples = [];

    /// <summary>The node's clock read at fixed true instants (gPTP runs): what time errors are computed from.</summary>
    public IReadOnlyList<ClockSample> ClockSamples => _clockSamples;

    public void RecordClock(in ClockSample sample) => _clockSamples.Add(sample);

    public void RecordHop(Frame frame, int fromPort, int toPort, SimTime transmitStart, SimTime arrival)
    {
        if (_held is not null) _held.Enqueue(new HopRecord(frame.Id, frame.StreamIndex, frame.Sequence, fromPort, toPort, transmitStart.Picoseconds, arrival.Picoseconds, frame.GateWait.Picoseconds), _keyOfNow!());
        else Log(frame.Id, frame.StreamIndex, frame.Sequence, fromPort, toPort, transmitStart.Picoseconds, arrival.Picoseconds, frame.GateWait.Picoseconds);
    }

    private PriorityQueue<HopRecord, EventKey>? _held;
    private Func<EventKey>? _keyOfNow;

    /// <summary>
    /// From now on hops are held and logged in event order when <see cref="ReleaseHopsBefore"/>
    /// says none can come before them: for a node whose lanes receive out of time order.
    /// </summary>
    public void HoldHopsInEventOrder(Func<EventKey> keyOfNow)
    {
        _held ??= new PriorityQueue<HopRecord, EventKey>(Comparer<EventKey>.Create(static (a, b) => a.Precedes(b) ? -1 : b.Precedes(a) ? 1 : 0));
        _keyOfNow = keyOfNow;
    }

    /// <summary>Logs, in event order, the held hops that arrived before <paramref name="ps"/>: no hop can arrive earlier any more.</summary>
    public void ReleaseHopsBefore(long ps)
    {
        if (_held is null) return;
        while (_held.TryPeek(out _, out var key) && key.Time < ps)
        {
            var hop = _held.Dequeue();
            Log(hop.FrameId, hop.StreamIndex, hop.Sequence, hop.FromPort, hop.ToPort, hop.TransmitStartPs, hop.ArrivalPs, hop.GateWaitPs);
        }
    }

    private void Log(long frameId, int stream, long sequence, int fromPort, int toPort, long transmitStartPs, long arrivalPs, long gateWaitPs)
    {
        _logged++;
        var record = _block.AsSpan(_blockUsed, RecordBytes);
        BinaryPrimitives.WriteInt64LittleEndian(record, frameId);
        BinaryPrimitives.WriteInt32LittleEndian(record[8..], stream);
        BinaryPrimitives.WriteInt32LittleEndian(record[12..], fromPort);
        BinaryPrimitives.WriteInt64LittleEndian(record[16..], sequence);
        BinaryPrimitives.WriteInt32LittleEndian(record[24..], toPort);
        BinaryPrimitives.WriteInt32LittleEndian(record[28..], 0);
        BinaryPrimitives.WriteInt64LittleEndian(record[32..], transmitStartPs);
        BinaryPrimitives.WriteInt64LittleEndian(record[40..], arrivalPs);
        BinaryPrimitives.WriteInt64LittleEndian(record[48..], gateWaitPs);
        _blockUsed += RecordBytes;
        if (_blockUsed == _block.Length) Flush();
        Sink?.OnHop(Node, new HopRecord(frameId, stream, sequence, fromPort, toPort, transmitStartPs, arrivalPs, gateWaitPs));
    }

    /// <summary>SHA-256 of every hop record this node logged, in order. Ends the log.</summary>
    public byte[] FinishDigest()
    {
        ReleaseHopsBefore(long.MaxValue);
        Flush();
        return _hash.GetHashAndReset();
    }

    private void Flush()
    {
        _hash.AppendData(_block, 0, _blockUsed);
        _blockUsed = 0;
    }

    public void Dispose() => _hash.Dispose();
}
