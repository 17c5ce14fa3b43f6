namespace TsnSim.Core.Telemetry;

/// <summary>
/// A node's clock reading at true time <see cref="AtPs"/>, whether its servo was locked then (a
/// grandmaster always is), and the clockIdentity of the grandmaster it followed.
/// </summary>
public readonly record struct ClockSample(long AtPs, long ReadingPs, bool Locked, ulong Grandmaster);
