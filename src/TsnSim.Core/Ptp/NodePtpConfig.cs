using TsnSim.Core.Ptp.Messages;

namespace TsnSim.Core.Ptp;

/// <summary>A node's own gPTP settings: its place in the best master choice (priority1, clock quality, priority2).</summary>
public sealed record NodePtpConfig(byte Priority1, ClockQuality Quality, byte Priority2)
{
    /// <summary>When the node's PTP stack stops (it sends and answers nothing from then on; its clock runs on); null: never.</summary>
    public Time.SimTime? StopAt { get; init; }

    /// <summary>gPTP.cfg: priority1 248, priority2 248, clockClass 248; a grandmaster-capable node sets priority1 lower.</summary>
    public static readonly NodePtpConfig Default = new(248, ClockQuality.Default, 248);
}
