using TsnSim.Core.Frames;
using TsnSim.Core.Time;

namespace TsnSim.Core.Engine;

/// <summary>
/// One pending event: a small struct kept by value in the scheduler's heap. Its order key is
/// (time, class, source index, sequence): the source index names the port, link or stream that
/// scheduled it (global across the topology) and the sequence counts that source's events, so the
/// key is the same whichever process runs the source.
/// </summary>
public readonly struct ScheduledEvent
{
    public readonly long Time;
    /// <summary>Class in the top byte, source index below: one comparison orders both.</summary>
    public readonly long ClassAndSource;
    public readonly long Sequence;
    public readonly IEventHandler Handler;
    public readonly Frame? Frame;
    public readonly long Argument;

    public ScheduledEvent(SimTime time, EventClass eventClass, int sourceIndex, long sequence, IEventHandler handler, Frame? frame, long argument)
    {
        Time = time.Picoseconds;
        ClassAndSource = ((long)eventClass << 48) | (uint)sourceIndex;
        Sequence = sequence;
        Handler = handler;
        Frame = frame;
        Argument = argument;
    }

    public SimTime At => new(Time);
    public EventClass Class => (EventClass)(ClassAndSource >> 48);
    public int SourceIndex => (int)(ClassAndSource & 0xFFFF_FFFF);
    public EventKey Key => new(Time, ClassAndSource, Sequence);

    public bool PrecedesOrEquals(in ScheduledEvent other) =>
        Time != other.Time ? Time < other.Time
        : ClassAndSource != other.ClassAndSource ? ClassAndSource < other.ClassAndSource
        : Sequence <= other.Sequence;
}
