namespace TsnSim.Core.Telemetry;

/// <summary>
/// One line of the per-frame log: a frame crossed one link, from the port that sent it to the
/// port that took its last bit. Times in picoseconds of true time, except the gate wait: how
/// long the frame's gate was closed while it waited at the head of its class on the sending
/// port, on the sending node's clock (0 on a port without a gate schedule).
/// </summary>
public readonly record struct HopRecord(
    long FrameId,
    int StreamIndex,
    long Sequence,
    int FromPort,
    int ToPort,
    long TransmitStartPs,
    long ArrivalPs,
    long GateWaitPs);
