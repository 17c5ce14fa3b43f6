using TsnSim.Core.Clocks;
using TsnSim.Core.Frames;
using TsnSim.Core.Links;
using TsnSim.Core.Time;

namespace TsnSim.Core.Tsn;

/// <summary>
/// 802.1Q transmission selection on a port with traffic classes: one queue per class, strict
/// priority (the highest class with a frame goes first) among the classes whose gate is open
/// (802.1Qbv), the gates read on the node's own clock. Guard band: a frame starts only if the
/// port is free again, its last bit and inter-frame gap sent, before its gate closes, so a
/// closed gate always finds the port idle.
/// </summary>
public sealed class TransmissionSelection
{
    private readonly EgressConfig _config;
    private readonly FrameQueue[] _queues;
    private readonly PhcClock _clock;
    private readonly long _startPs;

    public TransmissionSelection(EgressConfig config, int capacityPerClass, PhcClock clock)
    {
        _config = config;
        _clock = clock;
        _queues = Enumerable.Range(0, config.NumTrafficClasses).Select(_ => new FrameQueue(capacityPerClass)).ToArray();
        // Installed when the run starts: a base time already past begins at the next cycle boundary.
        _startPs = config.Schedule?.StartPs(clock.Read(SimTime.Zero).Picoseconds) ?? 0;
        TxFrames = new long[config.NumTrafficClasses];
    }

    public int Count { get; private set; }

    /// <summary>Frames each class has sent.</summary>
    public long[] TxFrames { get; }

    /// <summary>The frame's traffic class: its priority (PCP when VLAN-tagged, else 0) through the map.</summary>
    public int ClassOf(Frame frame)
    {
        var bytes = frame.Bytes;
        int priority = bytes.Length >= 15 && bytes[12] == 0x81 && bytes[13] == 0x00 ? bytes[14] >> 5 : 0;
        return _config.ClassOf(priority);
    }

    public bool TryEnqueue(Frame frame)
    {
        if (!_queues[ClassOf(frame)].TryEnqueue(frame)) return false;
        Count++;
        return true;
    }

    /// <summary>
    /// The frame to send at true time <paramref name="now"/>, if any; otherwise, when frames
    /// wait, the clock time at which the gates next change (<see cref="long.MaxValue"/>: none wait).
    /// </summary>
    public Frame? Select(SimTime now, DataRate rate, out long nextChangePs)
    {
        nextChangePs = long.MaxValue;
        if (Count == 0) return null;
        var schedule = _config.Schedule;
        long clockNow = schedule is null ? 0 : _clock.Read(now).Picoseconds;
        ushort gates = GateControlList.AllOpen;
        if (schedule is not null) (gates, nextChangePs) = schedule.StateAt(clockNow, _startPs);
        for (int c = _queues.Length - 1; c >= 0; c--)
        {
            var queue = _queues[c];
            if (queue.Count == 0 || (gates & (1 << c)) == 0) continue;
            if (schedule is not null)
            {
                long close = schedule.CloseTimePs(c, clockNow, _startPs);
                if (close != long.MaxValue && _clock.Read(now + Ethernet.WireTime(queue.Peek().LengthWithFcs, rate)).Picoseconds > close) continue;
            }
            queue.TryDequeue(out var frame);
            Count--;
            TxFrames[c]++;
            return frame;
        }
        if (schedule is null) nextChangePs = long.MaxValue;
        return null;
    }
}
