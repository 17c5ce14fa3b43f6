using TsnSim.Core.Engine;
using TsnSim.Core.Frames;
using TsnSim.Core.Nodes;
using TsnSim.Core.Time;
using TsnSim.Core.Topology;

namespace TsnSim.Core.Traffic;

/// <summary>
/// A host's input for live traffic. Whatever is decided when an injection is accepted (frame
/// ids, stream indices, sequences) depends only on the order of acceptance, and the injection
/// runs as an event keyed by that order: so accepting the same injections in the same order, at
/// any point before their times, gives the same run — which is what replay does.
/// </summary>
public sealed class LiveTraffic : IEventHandler
{
    private readonly Host _host;
    private readonly EventSource _events;
    private readonly Dictionary<long, (Injection Injection, long[] FrameIds, long[] Sequences)> _pending = new();
    private readonly Dictionary<string, LiveStream> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<int, StreamTalker> _talkers = new();
    private readonly Dictionary<int, long> _nextSequence = new();
    private readonly List<LiveStream> _streams = [];
    private long _accepted;
    private long _frameCounter;

    public LiveTraffic(Host host)
    {
        _host = host;
        _events = new EventSource(host.Context.Scheduler, EventClass.Injection, host.Index);
    }

    /// <summary>Live streams of this host, in the order they were created.</summary>
    public IReadOnlyList<LiveStream> Streams => _streams;

    public long Accepted => _accepted;

    /// <summary>Injected frames accepted whose time has not come yet.</summary>
    public int PendingFrames { get; private set; }

    public LiveStream? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>This host's live stream with index <paramref name="streamIndex"/>, if there is one.</summary>
    public LiveStream? StreamAt(int streamIndex) =>
        LiveStreamIndex.IsLive(streamIndex) && LiveStreamIndex.NodeOf(streamIndex) == _host.Index && LiveStreamIndex.OrdinalOf(streamIndex) < _streams.Count
            ? _streams[LiveStreamIndex.OrdinalOf(streamIndex)]
            : null;

    /// <summary>The talker of a stream this host started live, if it is one.</summary>
    public StreamTalker? TalkerOf(int streamIndex) => _talkers.GetValueOrDefault(streamIndex);

    /// <summary>The stream an application's injected frames count under: created on first use.</summary>
    public LiveStream StreamForApplication(string application, byte pcp, string? listener) =>
        _byName.TryGetValue(application, out var existing) ? existing : Add(application, listener, pcp, null, null);

    /// <summary>A new periodic stream's identity; its plan runs once the start injection is accepted.</summary>
    public LiveStream NewPeriodicStream(string name, string? listener, byte pcp, SimTime period, int frameSize) =>
        Add(name, listener, pcp, period, frameSize);

    private LiveStream Add(string name, string? listener, byte pcp, SimTime? period, int? size)
    {
        var stream = new LiveStream(LiveStreamIndex.For(_host.Index, _streams.Count), name, _host.Name, listener, pcp, period, size);
        _streams.Add(stream);
        _byName[name] = stream;
        return stream;
    }

    /// <summary>
    /// Takes an injection due at or after the host's current time; returns the ids its frames
    /// will carry (empty for a stream start or stop).
    /// </summary>
    public long[] Accept(Injection injection)
    {
        if (injection.At < _host.Context.Scheduler.Now)
            throw new ArgumentOutOfRangeException(nameof(injection), $"injection at {injection.At} is before the host's time {_host.Context.Scheduler.Now}");
        long[] ids = [], sequences = [];
        if (injection is FrameInjection frames)
        {
            ids = new long[frames.Frames.Count];
            sequences = new long[frames.Frames.Count];
            for (int i = 0; i < ids.Length; i++)
            {
                ids[i] = _host.InjectedFrameId(++_frameCounter);
                // Sequences within an application's stream follow acceptance order as well.
                int stream = frames.Frames[i].StreamIndex;
                if (stream < 0) continue;
                sequences[i] = _nextSequence.GetValueOrDefault(stream);
                _nextSequence[stream] = sequences[i] + 1;
            }
        }
        _pending[_accepted] = (injection, ids, sequences);
        PendingFrames += ids.Length;
        _events.Schedule(injection.At, this, argument: _accepted);
        _accepted++;
        return ids;
    }

    public void OnEvent(in ScheduledEvent scheduled)
    {
        var (injection, ids, sequences) = _pending[scheduled.Argument];
        _pending.Remove(scheduled.Argument);
        PendingFrames -= ids.Length;
        // Accepted for a time the run, stopped early, no longer reaches: as if never asked.
        if (scheduled.At >= _host.Context.Duration) return;
        switch (injection)
        {
            case FrameInjection frames:
                for (int i = 0; i < frames.Frames.Count; i++) Send(frames.Frames[i], ids[i], sequences[i], scheduled.At);
                break;
            case StreamStartInjection start:
                var talker = new StreamTalker(_host, _host.Ports[start.PortIndex], start.Plan);
                _talkers[start.Plan.Index] = talker;
                talker.StartAt(scheduled.At);
                break;
            case ApplicationSettingInjection setting:
                (_talkers.GetValueOrDefault(setting.StreamIndex) ?? _host.Talkers.FirstOrDefault(t => t.Plan.Index == setting.StreamIndex))
                    ?.Reconfigure(setting.Priority, setting.Shaper, scheduled.At);
                break;
            case StreamStopInjection stop:
                (_talkers.GetValueOrDefault(stop.StreamIndex) ?? _host.Talkers.FirstOrDefault(t => t.Plan.Index == stop.StreamIndex))?.Stop();
                break;
        }
    }

    private void Send(InjectedFrame spec, long id, long sequence, SimTime now)
    {
        var context = _host.Context;
        var frame = context.Pool.Rent(spec.Length);
        frame.Id = id;
        frame.StreamIndex = spec.StreamIndex;
        frame.Sequence = sequence;
        frame.CreatedAt = now;
        var buffer = frame.Buffer.AsSpan();
        int length;
        if (spec.Raw is { } raw)
        {
            raw.CopyTo(buffer);
            length = raw.Length;
        }
        else
        {
            int offset = spec.Header.Write(buffer);
            new StreamPayload(spec.StreamIndex, sequence, id, now).Write(buffer[offset..]);
            spec.Payload.CopyTo(buffer[(offset + StreamPayload.Length)..]);
            length = offset + StreamPayload.Length + spec.Payload.Length;
            context.Telemetry.Stream(spec.StreamIndex).Sent++;
        }
        int minimum = Ethernet.MinFrameBytes - Ethernet.FcsBytes;
        if (length < minimum) buffer[length..minimum].Clear();
        frame.Length = Math.Max(length, minimum);
        if (context.Tracer is { } tracer) frame.Trace = tracer.Begin(_host, frame);
        _host.Ports[spec.PortIndex].Enqueue(frame);
    }
}
