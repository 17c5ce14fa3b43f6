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

    /// <summary>Where traced frames' hops go; null when nothing is traced.</summary>
    public IFrameTracer? Tracer { get; init; }

    /// <summary>Hears every delivery (metrics); null when nobody does.</summary>
    public IDeliveryObserver? Deliveries { get; init; }
}
