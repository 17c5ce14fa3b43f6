namespace TsnSim.Core.Nic;

/// <summary>A change to a NIC's receive settings that it takes at <see cref="At"/> (true time) while traffic runs.</summary>
public abstract record NicChange(Time.SimTime At);
