namespace TsnSim.Core.Ptp;

/// <summary>A node's part in the gPTP domain: the settings, whether it is the grandmaster, and its slave port (toward the grandmaster; −1 on the grandmaster).</summary>
public sealed record GptpPlan(PtpConfig Config, bool IsGrandmaster, int SlavePort, string Grandmaster);
