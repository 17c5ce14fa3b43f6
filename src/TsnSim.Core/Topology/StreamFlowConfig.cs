using TsnSim.Core.Nic;

namespace TsnSim.Core.Topology;

/// <summary>
/// A stream carried as IP flows: each frame holds an IPv4 or IPv6 header and a UDP or TCP header
/// before the stream payload. With <see cref="Flows"/> above one the stream is that many flows,
/// frames taking the flows in turn, <see cref="Burst"/> consecutive frames on each (frame k on
/// flow ⌊k / burst⌋ mod n), flow i from source port <see cref="Source"/>.Port + i.
/// </summary>
public sealed record StreamFlowConfig(TransportProtocol Protocol, FlowEndpoint Source, FlowEndpoint Destination, int Flows)
{
    /// <summary>Consecutive frames on one flow before the next flow's turn (a TCP sender's burst within its window).</summary>
    public int Burst { get; init; } = 1;

    public int FlowOf(long frameSequence) => (int)(frameSequence / Burst % Flows);

    public bool IsIpv6 => Source.IsIpv6;

    /// <summary>IP and transport header bytes a frame carries.</summary>
    public int HeaderBytes => (IsIpv6 ? 40 : 20) + (Protocol == TransportProtocol.Tcp ? 20 : 8);
}
