namespace TsnSim.Core.Telemetry;

/// <summary>
/// One line of the per-frame log: a frame crossed one link, from the port that sent it to the
/// port that took its last bit. Times in picoseconds of true time.
/// </summary>
public readonly record struct HopRecord(
    long FrameId,
    int StreamIndex,
    long Sequence,
    int FromPort,
    int ToPort,
    long TransmitStartPs,
    long ArrivalPs);
