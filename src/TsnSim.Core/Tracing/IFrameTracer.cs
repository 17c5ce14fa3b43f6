using TsnSim.Core.Frames;
using TsnSim.Core.Nodes;

namespace TsnSim.Core.Tracing;

/// <summary>
/// Receives the hops of traced frames. The model decides nothing about how spans are made or
/// exported: a host (the CLI, a node process) wires in an implementation, or none, in which
/// case no frame is traced and the frame path pays one null check per hop.
/// </summary>
public interface IFrameTracer
{
    /// <summary>
    /// The trace state for a frame <paramref name="talker"/> has just built, or null when this
    /// frame is not to be traced. Must depend only on the frame's stream and sequence, so every
    /// process layout traces the same frames.
    /// </summary>
    FrameTrace? Begin(Host talker, Frame frame);

    /// <summary>The frame's stay on a node ended; the tracer records it and continues <paramref name="trace"/> from its span.</summary>
    void OnHop(in HopSpan hop, FrameTrace trace);
}
