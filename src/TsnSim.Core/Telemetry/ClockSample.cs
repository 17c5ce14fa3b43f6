namespace TsnSim.Core.Telemetry;

/// <summary>A node's clock reading at true time <see cref="AtPs"/>, and whether its servo was locked then (the grandmaster always is).</summary>
public readonly record struct ClockSample(long AtPs, long ReadingPs, bool Locked);
