namespace TsnSim.Core.Telemetry;

/// <summary>One node's share of a stream's figures: frames it sent as talker, latencies it saw as listener.</summary>
public sealed class StreamTally
{
    public long Sent;
    public long Received;
    public long DeadlineMisses;
    /// <summary>Latencies of the frames received, in bounded memory (see <see cref="LatencyHistogram"/>).</summary>
    public LatencyHistogram Latency { get; } = new();

    /// <summary>
    /// As talker of a stream that asks for Tx timestamps: each frame's hardware Tx timestamp
    /// minus its node's clock when the application handed it over (the wait in the NIC and the
    /// preamble, on the node's own clock), as the application reads it from the Tx completion.
    /// </summary>
    public LatencyHistogram TxDelay { get; } = new();
}
