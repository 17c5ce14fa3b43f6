namespace TsnSim.Core.Nic;

/// <summary>The host goes to <see cref="State"/> at true time <see cref="At"/>.</summary>
public sealed record PowerChange(Time.SimTime At, PowerState State);
