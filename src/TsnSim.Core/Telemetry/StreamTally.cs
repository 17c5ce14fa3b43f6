namespace TsnSim.Core.Telemetry;

/// <summary>One node's share of a stream's figures: frames it sent as talker, latencies it saw as listener.</summary>
public sealed class StreamTally
{
    public long Sent;
    public long Received;
    public long DeadlineMisses;
    /// <summary>Every received frame's latency in ps, kept whole so percentiles are exact.</summary>
    public List<long> LatenciesPs { get; } = [];
}
