using TsnSim.Core.Time;

namespace TsnSim.Core.Ptp;

/// <summary>
/// The topology's <c>ptp:</c> section: every node runs its profile with these settings. gPTP
/// (802.1AS) has the defaults of linuxptp's gPTP.cfg: Sync every 125 ms (logSyncInterval −3),
/// Pdelay every 1 s, Announce every 1 s, neighborPropDelayThresh 800 ns, a moving median of 10
/// peer-delay measurements. The 1588 end-to-end profile has those of linuxptp's default.cfg:
/// Sync every 1 s, Announce every 2 s, Delay_Req every 1 s, a moving median of 10 path delays.
/// </summary>
public sealed record PtpConfig
{
    public PtpProfile Profile { get; init; } = PtpProfile.Gptp;
    public SimTime SyncInterval { get; init; } = SimTime.FromMilliseconds(125);
    public SimTime PdelayInterval { get; init; } = SimTime.FromSeconds(1);
    public SimTime AnnounceInterval { get; init; } = SimTime.FromSeconds(1);

    /// <summary>How often a 1588 slave sends Delay_Req (logMinDelayReqInterval 0).</summary>
    public SimTime DelayRequestInterval { get; init; } = SimTime.FromSeconds(1);

    /// <summary>The defaults of a profile.</summary>
    public static PtpConfig For(PtpProfile profile) => profile switch
    {
        PtpProfile.E2e => new PtpConfig { Profile = profile, SyncInterval = SimTime.FromSeconds(1), AnnounceInterval = SimTime.FromSeconds(2) },
        _ => new PtpConfig(),
    };

    /// <summary>Announce intervals without an Announce after which a port's information expires (announceReceiptTimeout, 3).</summary>
    public int AnnounceReceiptTimeout { get; init; } = 3;
    public SimTime NeighborPropDelayThreshold { get; init; } = SimTime.FromNanoseconds(800);
    public int DelayFilterLength { get; init; } = 10;
    public byte DomainNumber { get; init; }
    public ServoConfig Servo { get; init; } = ServoConfig.Default;

    /// <summary>The priority of the (untagged) frames PTP sends, as linuxptp's socket_priority: which traffic class they take on a port with classes.</summary>
    public byte SocketPriority { get; init; }

    /// <summary>log2 of an interval in seconds, as messages carry it (125 ms → −3).</summary>
    public static sbyte LogInterval(SimTime interval) => (sbyte)Math.Round(Math.Log2(interval.Picoseconds / 1e12));
}
