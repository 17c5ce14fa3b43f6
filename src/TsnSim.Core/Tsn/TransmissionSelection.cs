using TsnSim.Core.Clocks;
using TsnSim.Core.Frames;
using TsnSim.Core.Links;
using TsnSim.Core.Time;

namespace TsnSim.Core.Tsn;

/// <summary>
/// 802.1Q transmission selection on a port with traffic classes: each class owns the Tx queues
/// its count@offset names (mqprio's queues), a frame goes to one of them by its flow's hash, and
/// the class's queues take turns frame by frame (round robin); between classes, strict
/// priority (the highest class with a frame goes first) among the classes whose gate is open
/// (802.1Qbv) and, for a class with a credit-based shaper (802.1Qav), whose credit is not
/// negative; the gates read on the node's own clock. Guard band: a frame starts only if the
/// port is free again, its last bit and inter-frame gap sent, before its gate closes, so a
/// closed gate always finds the port idle.
/// </summary>
public sealed class TransmissionSelection
{
    private readonly EgressConfig _config;
    // One FIFO per Tx queue; each class's queues are _firstQueue[c] … _firstQueue[c] + _queueCount[c] − 1.
    private readonly FrameQueue[] _queues;
    private readonly int[] _firstQueue;
    private readonly int[] _queueCount;
    private readonly int[] _classCount;
    private readonly int[] _nextTurn;
    private readonly Nic.RssClassifier?[] _spread;
    private readonly PhcClock _clock;
    private readonly GateTimeline _timeline;
    private readonly long[] _headSinceClockPs;
    private readonly CreditBasedShaper?[] _shapers;
    private readonly EtfConfig?[] _etf;
    private readonly bool _shaped;
    private int _transmittingClass = -1;
    private int _launchTimes;
    private long _shapedAtPs;

    public TransmissionSelection(EgressConfig config, int capacityPerQueue, PhcClock clock)
    {
        _config = config;
        _clock = clock;
        int classes = config.NumTrafficClasses;
        _firstQueue = config.Queues.Select(q => q.Offset).ToArray();
        _queueCount = config.Queues.Select(q => q.Count).ToArray();
        _queues = Enumerable.Range(0, config.TxQueueCount).Select(_ => new FrameQueue(capacityPerQueue)).ToArray();
        _classCount = new int[classes];
        _nextTurn = new int[classes];
        // A class of several queues spreads its flows as `tsnsim nic rss --queues count` predicts: the Toeplitz hash under the
        // verification key and every hash type, through the default table; what is not IP goes to the class's first queue.
        _spread = _queueCount.Select(n => n > 1 ? new Nic.RssClassifier(Nic.RssSettings.Default(n)) : null).ToArray();
        // Installed when the run starts: a base time already past begins at the next cycle boundary.
        _timeline = new GateTimeline(config.Schedule, clock.Read(SimTime.Zero).Picoseconds);
        _headSinceClockPs = new long[_queues.Length];
        TxQueueFrames = new long[_queues.Length];
        TxQueueBytes = new long[_queues.Length];
        TxFrames = new long[config.NumTrafficClasses];
        QueueDrops = new long[config.NumTrafficClasses];
        LaunchTimeDrops = new long[config.NumTrafficClasses];
        GateWaitPs = new long[config.NumTrafficClasses];
        MaxGateWaitPs = new long[config.NumTrafficClasses];
        _etf = Enumerable.Range(0, config.NumTrafficClasses).Select(c => config.Etf.GetValueOrDefault(c)).ToArray();
        _shapers = Enumerable.Range(0, config.NumTrafficClasses)
            .Select(c => config.Shapers.TryGetValue(c, out var cbs) ? new CreditBasedShaper(cbs) : null).ToArray();
        _shaped = _shapers.Any(x => x is not null);
    }

    /// <summary>The shaper of a class; null when the class has none.</summary>
    public CreditBasedShaper? ShaperOf(int trafficClass) => _shapers[trafficClass];

    public int Count { get; private set; }

    /// <summary>Frames each Tx queue has sent.</summary>
    public long[] TxQueueFrames { get; }

    /// <summary>Bytes (frames with FCS) each Tx queue has sent.</summary>
    public long[] TxQueueBytes { get; }

    /// <summary>The Tx queues of the port (the highest offset + count of its classes).</summary>
    public int TxQueueCount => _queues.Length;

    /// <summary>Frames each class has sent.</summary>
    public long[] TxFrames { get; }

    /// <summary>Frames each class dropped because its queue was full.</summary>
    public long[] QueueDrops { get; }

    /// <summary>Frames each class dropped because their launch time had passed.</summary>
    public long[] LaunchTimeDrops { get; }

    /// <summary>Each class's gate waits (<see cref="Frame.GateWait"/>) summed over its sent frames, in ps of the node's clock.</summary>
    public long[] GateWaitPs { get; }

    /// <summary>Each class's longest gate wait of one frame, in ps of the node's clock.</summary>
    public long[] MaxGateWaitPs { get; }

    /// <summary>
    /// Installs a new gate control list at true time <paramref name="now"/> (taprio's admin
    /// schedule); returns the clock time at which it takes over from the running one.
    /// </summary>
    public long Install(GateControlList admin, SimTime now)
    {
        // The credit up to now follows the gates as they were.
        if (_shaped) AdvanceShapers(now);
        var couldClose = Enumerable.Range(0, _config.NumTrafficClasses).Select(_timeline.MayClose).ToArray();
        long clockNow = _clock.Read(now).Picoseconds;
        long change = _timeline.Install(admin, clockNow);
        // Gate waits are counted from here for the frames already at the head of their queue (until now no gate could close).
        for (int c = 0; c < couldClose.Length; c++)
            if (!couldClose[c])
                for (int q = _firstQueue[c]; q < _firstQueue[c] + _queueCount[c]; q++) _headSinceClockPs[q] = clockNow;
        return change;
    }

    /// <summary>
    /// The Tx queue a frame goes to: one of its class's, by its flow's hash when the class has
    /// several (so a flow keeps one queue and its order), the host stack's pick when it made one.
    /// </summary>
    public int TxQueueOf(Frame frame) => frame.TxQueue >= 0 ? frame.TxQueue : TxQueueIn(ClassOf(frame), frame);

    private int TxQueueIn(int trafficClass, Frame frame)
    {
        if (_spread[trafficClass] is not { } spread) return _firstQueue[trafficClass];
        var bytes = frame.Bytes;
        return _firstQueue[trafficClass] + spread.Classify(bytes, Nic.PacketParser.Parse(bytes)).Queue;
    }

    /// <summary>The frame's traffic class: its priority through the map: the application's socket priority when it set one, else the PCP when VLAN-tagged, else the sender's priority (0 for a forwarded frame).</summary>
    public int ClassOf(Frame frame)
    {
        var bytes = frame.Bytes;
        int priority = !frame.HasSocketPriority && bytes.Length >= 15 && bytes[12] == 0x81 && bytes[13] == 0x00 ? bytes[14] >> 5 : frame.Priority;
        return _config.ClassOf(priority);
    }

    /// <summary>Queues the frame in its class; false when it is dropped, <paramref name="late"/> telling an etf drop (its launch time already past) from a full queue.</summary>
    public bool TryEnqueue(Frame frame, SimTime now, out bool late)
    {
        late = false;
        // The credit up to now follows what the queues held until now.
        if (_shaped) AdvanceShapers(now);
        int c = ClassOf(frame);
        int q = frame.TxQueue = frame.TxQueue >= 0 ? frame.TxQueue : TxQueueIn(c, frame);
        var queue = _queues[q];
        // etf refuses at enqueue a frame whose launch time is already past on the node's clock.
        if (_etf[c] is not null && frame.LaunchTime.Picoseconds >= 0 && frame.LaunchTime < _clock.Read(now))
        {
            LaunchTimeDrops[c]++;
            late = true;
            return false;
        }
        if (!queue.TryEnqueue(frame))
        {
            QueueDrops[c]++;
            return false;
        }
        if (queue.Count == 1 && _timeline.MayClose(c)) _headSinceClockPs[q] = _clock.Read(now).Picoseconds;
        if (frame.LaunchTime.Picoseconds >= 0) _launchTimes++;
        _classCount[c]++;
        Count++;
        return true;
    }

    /// <summary>
    /// The frame to send at true time <paramref name="now"/>, if any; otherwise, when frames
    /// wait, the clock time at which the gates next change (<see cref="long.MaxValue"/>: none wait).
    /// </summary>
    public Frame? Select(SimTime now, DataRate rate, out long nextChangePs, out bool late)
    {
        nextChangePs = long.MaxValue;
        late = false;
        if (_shaped)
        {
            AdvanceShapers(now);
            _transmittingClass = -1;
        }
        if (Count == 0) return null;
        bool gated = _timeline.HasGates;
        // The node's clock matters only to gates, shapers and launch times; a plain strict-priority port never reads it.
        bool clocked = gated || _shaped || _launchTimes > 0;
        long clockNow = clocked ? _clock.Read(now).Picoseconds : 0;
        ushort gates = GateControlList.AllOpen;
        if (gated) (gates, nextChangePs) = _timeline.StateAt(clockNow);
        for (int c = _classCount.Length - 1; c >= 0; c--)
        {
            if (_classCount[c] == 0 || (gates & (1 << c)) == 0) continue;
            // The class's queues take turns: the one after the last that sent goes first.
            int count = _queueCount[c];
            for (int turn = 0; turn < count; turn++)
            {
                int q = count == 1 ? _firstQueue[c] : _firstQueue[c] + (_nextTurn[c] + turn) % count;
                var queue = _queues[q];
                if (queue.Count == 0) continue;
                var head = queue.Peek();
                // Launch time (etf): the head waits for its time on the node's clock; one whose time has passed is dropped, or, with the
                // stream's deadline_mode, sent at once. Software etf (no offload) hands the frame on delta early, and nothing holds it after
                // that; offloaded, the NIC launches it at its time. etf's own deadline_mode reads the time as a deadline: a frame goes as soon
                // as it is at the head, and one past its deadline is still dropped (Linux's etf_dequeue_timesortedlist).
                bool deadlineClass = _etf[c] is { DeadlineMode: true };
                long release = _etf[c] is { Offload: false } software ? head.LaunchTime.Picoseconds - software.DeltaNs * 1000 : head.LaunchTime.Picoseconds;
                if (head.LaunchTime.Picoseconds >= 0 && !deadlineClass && release > clockNow)
                {
                    nextChangePs = Math.Min(nextChangePs, release);
                    continue;
                }
                if (head.LaunchTime.Picoseconds >= 0 && head.LaunchTime.Picoseconds < clockNow && !head.LaunchDeadlineMode)
                {
                    Take(c, q);
                    _launchTimes--;
                    LaunchTimeDrops[c]++;
                    _headSinceClockPs[q] = clockNow;
                    late = true;
                    return head;
                }
                if (_shapers[c] is { CreditBits: < 0 } shaper)
                {
                    // Back in the running once the credit has grown to zero.
                    nextChangePs = Math.Min(nextChangePs, clockNow + Math.Max(1, shaper.TimeToZeroPs));
                    continue;
                }
                if (gated)
                {
                    var wire = Ethernet.WireTime(head.LengthWithFcs, rate);
                    // No clock runs twice as fast as true time: a close beyond twice the wire time cannot cut the frame off.
                    long close = _timeline.CloseTimePs(c, clockNow, clockNow + 2 * wire.Picoseconds);
                    if (close != long.MaxValue && _clock.Read(now + wire).Picoseconds > close) continue;
                }
                var frame = Take(c, q);
                if (frame.LaunchTime.Picoseconds >= 0) _launchTimes--;
                TxFrames[c]++;
                TxQueueFrames[q]++;
                TxQueueBytes[q] += frame.LengthWithFcs;
                if (_timeline.MayClose(c))
                {
                    long wait = _timeline.ClosedPs(c, _headSinceClockPs[q], clockNow);
                    frame.GateWait = new SimTime(wait);
                    GateWaitPs[c] += wait;
                    if (wait > MaxGateWaitPs[c]) MaxGateWaitPs[c] = wait;
                    _headSinceClockPs[q] = clockNow;
                }
                if (count > 1) _nextTurn[c] = (q - _firstQueue[c] + 1) % count;
                _transmittingClass = c;
                return frame;
            }
        }
        return null;
    }

    private Frame Take(int trafficClass, int queue)
    {
        _queues[queue].TryDequeue(out var frame);
        _classCount[trafficClass]--;
        Count--;
        return frame;
    }

    /// <summary>
    /// Every shaper's credit from the last update to <paramref name="now"/>, split where the
    /// gates changed (their clock times taken as true-time offsets from the last update: off by
    /// the clock's frequency error over at most one frame's time).
    /// </summary>
    private void AdvanceShapers(SimTime now)
    {
        long from = _shapedAtPs, to = now.Picoseconds;
        _shapedAtPs = to;
        if (to <= from) return;
        bool gated = _timeline.HasGates;
        long clockFrom = gated ? _clock.Read(new SimTime(from)).Picoseconds : 0;
        for (long t = from; t < to;)
        {
            ushort gates = GateControlList.AllOpen;
            long segmentEnd = to;
            if (gated)
            {
                (gates, long change) = _timeline.StateAt(clockFrom + (t - from));
                segmentEnd = Math.Min(to, from + (change - clockFrom));
            }
            if (segmentEnd <= t) segmentEnd = to;
            for (int c = 0; c < _shapers.Length; c++)
                _shapers[c]?.Advance(segmentEnd, transmitting: _transmittingClass == c, waiting: _classCount[c] > 0, gateOpen: (gates & (1 << c)) != 0);
            t = segmentEnd;
        }
    }
}
