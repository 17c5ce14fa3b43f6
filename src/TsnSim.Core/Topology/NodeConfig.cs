using TsnSim.Core.Clocks;
using TsnSim.Core.Frames;
using TsnSim.Core.Time;

namespace TsnSim.Core.Topology;

/// <summary>One node of the topology, host or switch.</summary>
public sealed record NodeConfig(
    string Name,
    NodeKind Kind,
    IReadOnlyList<PortConfig> Ports,
    MacAddress Mac)
{
    /// <summary>Switch only: time from a frame's last bit in to its enqueue on the egress port.</summary>
    public SimTime ProcessingDelay { get; init; } = SimTime.Zero;

    /// <summary>Switch only: static filtering database entries.</summary>
    public IReadOnlyList<FdbEntryConfig> Fdb { get; init; } = [];

    /// <summary>Switch only: a learned entry not refreshed for this long is forgotten (802.1Q default 300 s).</summary>
    public SimTime FdbAgingTime { get; init; } = SimTime.FromSeconds(300);

    /// <summary>The node's PTP hardware clock and its oscillator; ideal unless the file says otherwise.</summary>
    public ClockConfig Clock { get; init; } = ClockConfig.Ideal;

    /// <summary>How the node's NIC timestamps frames.</summary>
    public TimestampConfig Timestamps { get; init; } = TimestampConfig.Default;

    /// <summary>The node's gPTP priorities and clock quality (used when the topology runs PTP).</summary>
    public TsnSim.Core.Ptp.NodePtpConfig Ptp { get; init; } = TsnSim.Core.Ptp.NodePtpConfig.Default;

    /// <summary>Host only: a multi-queue NIC on each of its ports; null: frames go straight to the host stack.</summary>
    public Nic.NicConfig? Nic { get; init; }

    public int PortIndex(string port)
    {
        for (int i = 0; i < Ports.Count; i++) if (Ports[i].Name == port) return i;
        return -1;
    }
}
