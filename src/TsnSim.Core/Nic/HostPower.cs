namespace TsnSim.Core.Nic;

/// <summary>A host's power state, shared by its NICs (which answer for it and wake it) and its applications (which send nothing while it sleeps).</summary>
public sealed class HostPower
{
    public PowerState State { get; internal set; }
    public long Wakes { get; internal set; }
    public bool Asleep => State == PowerState.D3;
}
