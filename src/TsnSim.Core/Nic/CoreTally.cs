namespace TsnSim.Core.Nic;

/// <summary>What one host core did for one NIC: packets served and the time it spent on them.</summary>
public sealed class CoreTally(int core)
{
    public int Core { get; } = core;
    public long Packets { get; internal set; }
    public long BusyPs { get; internal set; }
}
