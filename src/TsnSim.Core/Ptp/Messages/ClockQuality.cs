namespace TsnSim.Core.Ptp.Messages;

/// <summary>IEEE 1588 ClockQuality: clockClass, clockAccuracy, offsetScaledLogVariance.</summary>
public readonly record struct ClockQuality(byte ClockClass, byte ClockAccuracy, ushort OffsetScaledLogVariance)
{
    /// <summary>802.1AS defaults for a time-aware system that is not traceable: class 248, accuracy unknown (0xFE), variance 0x436A.</summary>
    public static readonly ClockQuality Default = new(248, 0xFE, 0x436A);
}
