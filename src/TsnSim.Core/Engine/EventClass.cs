namespace TsnSim.Core.Engine;

/// <summary>
/// The second key of event order, after time. At one instant a port first finishes what it was
/// sending, then frames that arrive are taken in, then bridges forward, then applications act:
/// so a frame an application submits at the very instant its port frees up starts at once.
/// </summary>
public enum EventClass : byte
{
    TransmitComplete = 0,
    FrameArrival = 1,
    Forward = 2,
    Timer = 3,
}
