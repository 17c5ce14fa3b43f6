using TsnSim.Core.Engine;
using TsnSim.Core.Frames;
using TsnSim.Core.Time;

namespace TsnSim.Core.Links;

/// <summary>A link direction whose far end is in the same partition: the frame becomes an arrival event there.</summary>
public sealed class LocalLinkChannel : LinkChannel, IEventHandler
{
    private readonly Port _destination;
    private readonly EventSource _arrivals;

    public LocalLinkChannel(int index, Port source, Port destination, DataRate rate, SimTime delay, Scheduler scheduler)
        : base(index, source, rate, delay)
    {
        _destination = destination;
        _arrivals = new EventSource(scheduler, EventClass.FrameArrival, index);
    }

    public Port Destination => _destination;

    public override int DestinationPortIndex => _destination.GlobalIndex;

    public override void Carry(Frame frame, SimTime transmitStart, SimTime lastBitArrival) =>
        _arrivals.Schedule(lastBitArrival, this, frame, transmitStart.Picoseconds);

    public void OnEvent(in ScheduledEvent scheduled) =>
        _destination.Arrive(scheduled.Frame!, Source.GlobalIndex, new SimTime(scheduled.Argument), scheduled.At);
}
