namespace TsnSim.Core.Telemetry;

/// <summary>One node's share of a stream's figures: frames it sent as talker, latencies it saw as listener.</summary>
public sealed class StreamTally
{
    public long Sent;
    public long Received;
    public long DeadlineMisses;
    /// <summary>Latencies of the frames received, in bounded memory (see <see cref="LatencyHistogram"/>).</summary>
    public LatencyHistogram Latency { get; } = new();
}
