namespace TsnSim.Core.Nic;

/// <summary>A host's device power state as NDIS names them: D0 working, D3 low power (the NIC answers ARP and NS for it, and wakes it on a pattern).</summary>
public enum PowerState
{
    D0,
    D3,
}
