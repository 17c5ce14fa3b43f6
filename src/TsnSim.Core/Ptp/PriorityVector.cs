using TsnSim.Core.Ptp.Messages;

namespace TsnSim.Core.Ptp;

/// <summary>
/// 802.1AS's priority vector (10.3.4), compared field by field, lower better: the grandmaster's
/// priority1, clockClass, clockAccuracy, offsetScaledLogVariance, priority2 and clockIdentity,
/// then stepsRemoved, then the identity of the port that sent it, then the receiving port.
/// </summary>
public readonly record struct PriorityVector(
    byte Priority1, ClockQuality Quality, byte Priority2, ulong Grandmaster, ushort StepsRemoved, PortIdentity Sender, ushort ReceiverPort)
    : IComparable<PriorityVector>
{
    public int CompareTo(PriorityVector other)
    {
        int c = Priority1.CompareTo(other.Priority1);
        if (c == 0) c = Quality.ClockClass.CompareTo(other.Quality.ClockClass);
        if (c == 0) c = Quality.ClockAccuracy.CompareTo(other.Quality.ClockAccuracy);
        if (c == 0) c = Quality.OffsetScaledLogVariance.CompareTo(other.Quality.OffsetScaledLogVariance);
        if (c == 0) c = Priority2.CompareTo(other.Priority2);
        if (c == 0) c = Grandmaster.CompareTo(other.Grandmaster);
        if (c == 0) c = StepsRemoved.CompareTo(other.StepsRemoved);
        if (c == 0) c = Sender.ClockIdentity.CompareTo(other.Sender.ClockIdentity);
        if (c == 0) c = Sender.PortNumber.CompareTo(other.Sender.PortNumber);
        if (c == 0) c = ReceiverPort.CompareTo(other.ReceiverPort);
        return c;
    }

    /// <summary>The same grandmaster, whatever the path to it.</summary>
    public bool SameGrandmaster(PriorityVector other) =>
        (Priority1, Quality, Priority2, Grandmaster) == (other.Priority1, other.Quality, other.Priority2, other.Grandmaster);
}
