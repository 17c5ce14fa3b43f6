using TsnSim.Core.Frames;
using TsnSim.Core.Time;

namespace TsnSim.Core.Topology;

/// <summary>
/// A periodic talker stream: frames of <see cref="FrameSize"/> bytes every <see cref="Period"/>,
/// from <see cref="Talker"/> to every one of <see cref="Listeners"/>.
/// </summary>
public sealed record StreamConfig(
    string Name,
    string Talker,
    IReadOnlyList<string> Listeners,
    SimTime Period,
    int FrameSize)
{
    /// <summary>Talker port the stream leaves by; null means the talker's first port.</summary>
    public string? TalkerPort { get; init; }

    /// <summary>Destination MAC; null means the listener's MAC (one listener) or a group address (several).</summary>
    public MacAddress? Destination { get; init; }

    /// <summary>VLAN ID of the 802.1Q tag; null with a zero PCP sends untagged frames.</summary>
    public ushort? Vlan { get; init; }

    public byte Pcp { get; init; }
    public bool Dei { get; init; }

    /// <summary>Offset of the first frame from time zero.</summary>
    public SimTime Start { get; init; } = SimTime.Zero;

    /// <summary>When true, the start offset is drawn uniformly from [0, period) by the talker's generator.</summary>
    public bool RandomStart { get; init; }

    /// <summary>Number of frames to send; null means until the run's duration.</summary>
    public long? Count { get; init; }

    /// <summary>Latency above which a received frame counts as a deadline miss; null means none.</summary>
    public SimTime? Deadline { get; init; }

    /// <summary>Share of the stream's frames that are traced (0 to 1; <c>trace: true</c> is 1), evenly spaced.</summary>
    public double TraceRatio { get; init; }

    /// <summary>The talker asks for the hardware Tx timestamp of every frame (SO_TIMESTAMPING's SOF_TIMESTAMPING_TX_HARDWARE); the report gives what it measures.</summary>
    public bool TxTimestamps { get; init; }

    /// <summary>The talker times its frames on its node's clock (the PHC PTP disciplines) instead of true time: start + k × period as the clock reads them.</summary>
    public bool OnNodeClock { get; init; }

    /// <summary>
    /// Launch time (SO_TXTIME with etf): each frame is to leave this long after its handoff, on
    /// the talker's clock; null: as soon as it can. The talker's port must have traffic classes.
    /// </summary>
    public SimTime? LaunchAfter { get; init; }

    /// <summary>A frame past its launch time goes at once instead of being dropped (etf's deadline_mode, as the topology means it).</summary>
    public bool LaunchDeadlineMode { get; init; }

    /// <summary>The stream as IP flows (UDP or TCP over IPv4 or IPv6); null: the payload follows the Ethernet header (EtherType 0x88B5).</summary>
    public StreamFlowConfig? Flow { get; init; }

    /// <summary>The application the stream is, as the traffic API names it; null: the stream's name.</summary>
    public string? Application { get; init; }

    /// <summary>The application's socket priority (0–15, SO_PRIORITY): through the talker port's map it picks the frames' traffic class; null: none set.</summary>
    public byte? Priority { get; init; }

    /// <summary>The application's bandwidth limit; null: none.</summary>
    public Traffic.TokenBucketConfig? Shaper { get; init; }

    /// <summary>The name the traffic API knows the application by.</summary>
    public string ApplicationName => Application ?? Name;

    /// <summary>True when the frame carries an 802.1Q tag (a VLAN or a nonzero priority was asked for).</summary>
    public bool Tagged => Vlan is not null || Pcp != 0 || Dei;
}
