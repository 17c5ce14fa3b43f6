namespace TsnSim.Core.Ptp;

/// <summary>A node's part in the PTP domain: the settings, whether it is the grandmaster, and its slave port (toward the grandmaster; −1 on the grandmaster).</summary>
public sealed record PtpPlan(PtpConfig Config, bool IsGrandmaster, int SlavePort, string Grandmaster)
{
    /// <summary>
    /// For an end-to-end (1588) ordinary clock: the true one-way delay to every other host by
    /// its clockIdentity (the mean link delays along the fewest hops), what its Delay_Req
    /// exchange should measure; empty otherwise.
    /// </summary>
    public IReadOnlyDictionary<ulong, long> PathDelaysPs { get; init; } = new Dictionary<ulong, long>();
}
