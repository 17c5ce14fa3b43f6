using TsnSim.Core.Time;

namespace TsnSim.Core.Ptp;

/// <summary>
/// The topology's <c>ptp:</c> section: every node runs gPTP (802.1AS) with these settings, the
/// defaults of linuxptp's gPTP.cfg: Sync every 125 ms (logSyncInterval −3), Pdelay every 1 s,
/// neighborPropDelayThresh 800 ns, a moving median of 10 peer-delay measurements.
/// </summary>
public sealed record PtpConfig
{
    public SimTime SyncInterval { get; init; } = SimTime.FromMilliseconds(125);
    public SimTime PdelayInterval { get; init; } = SimTime.FromSeconds(1);
    public SimTime AnnounceInterval { get; init; } = SimTime.FromSeconds(1);

    /// <summary>Announce intervals without an Announce after which a port's information expires (announceReceiptTimeout, 3).</summary>
    public int AnnounceReceiptTimeout { get; init; } = 3;
    public SimTime NeighborPropDelayThreshold { get; init; } = SimTime.FromNanoseconds(800);
    public int DelayFilterLength { get; init; } = 10;
    public byte DomainNumber { get; init; }
    public ServoConfig Servo { get; init; } = ServoConfig.Default;

    /// <summary>log2 of an interval in seconds, as messages carry it (125 ms → −3).</summary>
    public static sbyte LogInterval(SimTime interval) => (sbyte)Math.Round(Math.Log2(interval.Picoseconds / 1e12));
}
