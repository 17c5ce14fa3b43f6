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
    /// <summary>
    /// A talker's next frame; the source index is the stream's. Other kinds of timer must get
    /// classes of their own: distributed promises read this class as "this stream's port".
    /// </summary>
    Talker = 3,
    /// <summary>
    /// Live traffic a client injected (frames, a stream started or stopped); the source index is
    /// the host's node index, the sequence the order in which the host accepted the injections.
    /// </summary>
    Injection = 4,

    /// <summary>A gPTP timer (Sync, Pdelay_Req); the source index is the node's index.</summary>
    PtpTimer = 5,

    /// <summary>A reading of the node's clock for the time-error telemetry; it never makes a node transmit.</summary>
    ClockSample = 6,

    /// <summary>A port's gates change while frames wait for them (802.1Qbv); the source index is the port's global index.</summary>
    GateControl = 7,

    /// <summary>
    /// A new gate schedule is installed on a port (taprio's admin schedule, from the topology or
    /// the traffic API); the source index is the port's global index, the sequence the order in
    /// which the port accepted the schedules.
    /// </summary>
    GateScheduleInstall = 8,

    /// <summary>
    /// A host core has served a received packet, which the host stack now takes; the source index
    /// is the NIC's port's global index. It never makes a node transmit.
    /// </summary>
    RxDispatch = 9,

    /// <summary>A NIC's RSS key or indirection table, or its list of steering rules, changes; the source index is its port's global index. It never makes a node transmit.</summary>
    RssChange = 10,

    /// <summary>A NIC's coalesced unit reaches its flush timeout; the source index is its port's global index. It never makes a node transmit.</summary>
    RscFlush = 11,

    /// <summary>A host's power state changes (D0, D3); the source index is the node's index. It never makes a node transmit by itself.</summary>
    PowerState = 12,

    /// <summary>
    /// A NIC posts a Tx completion (the frame's last bit has left) or its core has served one,
    /// freeing a descriptor and buffers; the source index is its port's global index. What the
    /// host stack held for lack of them is submitted then, so it may make that port transmit.
    /// </summary>
    TxCompletion = 13,
}
