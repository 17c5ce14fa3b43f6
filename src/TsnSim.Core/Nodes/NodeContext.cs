using TsnSim.Core.Clocks;
using TsnSim.Core.Engine;
using TsnSim.Core.Frames;
using TsnSim.Core.Telemetry;
using TsnSim.Core.Time;
using TsnSim.Core.Tracing;
using TsnSim.Core.Traffic;

namespace TsnSim.Core.Nodes;

/// <summary>What a node may use besides its own state: its partition's clock and pool, its own generator and telemetry.</summary>
public sealed record NodeContext(
    Scheduler Scheduler,
    FramePool Pool,
    DeterministicRandom Random,
    NodeTelemetry Telemetry,
    IReadOnlyList<StreamPlan> Streams,
    SimTime Duration)
{
    /// <summary>When applications stop sending. A run without a duration learns it when it is stopped.</summary>
    public SimTime Duration { get; set; } = Duration;

    /// <summary>The node's PTP hardware clock: what its timestamps, and everything timed on its own clock, read.</summary>
    public required PhcClock Clock { get; init; }

    /// <summary>The node's NIC timestamp unit, reading <see cref="Clock"/>.</summary>
    public required HardwareTimestamper Timestamper { get; init; }

    /// <summary>Where traced frames' hops go; null when nothing is traced.</summary>
    public IFrameTracer? Tracer { get; init; }

    /// <summary>The node's part in gPTP, when the topology runs it; null otherwise.</summary>
    public Ptp.PtpPlan? Ptp { get; init; }

    /// <summary>Records the frames on the node's ports (pcap); null when nobody captures.</summary>
    public IFrameCapture? Capture { get; init; }

    /// <summary>Hears every delivery (metrics); null when nobody does.</summary>
    public IDeliveryObserver? Deliveries { get; init; }
}
