namespace TsnSim.Core.Ptp;

/// <summary>linuxptp's servo states: gathering samples, stepping the clock once, tracking.</summary>
public enum ServoState
{
    Unlocked,
    Jump,
    Locked,
}
