using TsnSim.Core.Telemetry;
using TsnSim.Core.Time;
using TsnSim.Core.Tracing;

namespace TsnSim.Core.Simulation;

/// <summary>How one run goes: the topology's values unless the command line overrides them.</summary>
public sealed record RunSettings(ulong Seed, SimTime Duration, SimTime Drain)
{
    /// <summary>Receives every hop as it happens (a frame-log file); null when nobody asked.</summary>
    public IFrameLogSink? FrameLog { get; init; }

    /// <summary>Records the hops of traced frames as spans; null when nothing is traced.</summary>
    public IFrameTracer? Tracer { get; init; }

    /// <summary>Records the frames on every port (pcap); null when nobody captures.</summary>
    public IFrameCapture? Capture { get; init; }

    /// <summary>Hears every delivery, for metrics; null when nobody exports them.</summary>
    public IDeliveryObserver? Deliveries { get; init; }
}
