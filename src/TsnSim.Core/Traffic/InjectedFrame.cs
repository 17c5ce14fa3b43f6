using TsnSim.Core.Frames;

namespace TsnSim.Core.Traffic;

/// <summary>
/// One injected frame, leaving by the host's port <see cref="PortIndex"/> (local to the host).
/// Either <see cref="Raw"/> bytes, sent as given (padded to the minimum), or a described frame:
/// <see cref="Header"/>, then the stream payload header that lets the receiver measure latency
/// (with <see cref="StreamIndex"/> and the frame's id, sequence and send time), then <see cref="Payload"/>.
/// </summary>
public sealed record InjectedFrame(int PortIndex, byte[]? Raw, EthernetHeader Header, int StreamIndex, byte[] Payload)
{
    public static InjectedFrame FromRaw(int portIndex, byte[] raw) => new(portIndex, raw, default, -1, []);

    /// <summary>Length without FCS once built: header, stream payload header and payload, or the raw bytes, at least 60.</summary>
    public int Length => Math.Max(Ethernet.MinFrameBytes - Ethernet.FcsBytes,
        Raw?.Length ?? Header.Length + StreamPayload.Length + Payload.Length);
}
