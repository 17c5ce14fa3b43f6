namespace TsnSim.Core.Telemetry;

/// <summary>
/// A node's clock reading at true time <see cref="AtPs"/>, its servo's state then (a grandmaster
/// counts as locked), the clockIdentity of the grandmaster it followed, and its slave port's
/// link delay as measured (ps, in the neighbour's time base) and as it truly is (ps; its mean
/// over both directions, which is what the measurement can know); −1 where there is none.
/// </summary>
public readonly record struct ClockSample(long AtPs, long ReadingPs, Ptp.ServoState State, ulong Grandmaster, long EstimatedDelayPs = -1, long TrueDelayPs = -1)
{
    public bool Locked => State == Ptp.ServoState.Locked;
}
