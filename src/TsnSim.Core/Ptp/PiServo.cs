namespace TsnSim.Core.Ptp;

/// <summary>
/// A proportional-integral clock servo with linuxptp's semantics (pi.c): the first sample is
/// kept; the second, once far enough from the first, estimates the frequency error and either
/// asks for a step (offset above first_step_threshold, or step_threshold) or locks; after that
/// each sample gives ppb = kp·offset + drift + ki·offset, the integral growing only while the
/// output is within max_frequency. Offsets in ns, local times in ns; the output is the frequency
/// correction in ppb that removes the offset (the clock is adjusted by its negative).
/// </summary>
public sealed class PiServo
{
    /// <summary>linuxptp's FREQ_EST_MARGIN: the two first samples must be at least this much more than the estimate interval apart.</summary>
    private const double FrequencyEstimateMargin = 0.001;

    private readonly ServoConfig _config;
    private readonly double _kp, _ki;
    private double _drift;
    private long _offset0, _local0;
    private int _count;
    private bool _firstUpdate = true;

    /// <param name="interval">The sync interval in seconds: the gains scale with it.</param>
    public PiServo(ServoConfig config, double interval, double initialFrequencyPpb = 0)
    {
        _config = config;
        _kp = Math.Min(config.KpScale * Math.Pow(interval, config.KpExponent), config.KpNormMax / interval);
        _ki = Math.Min(config.KiScale * Math.Pow(interval, config.KiExponent), config.KiNormMax / interval);
        _drift = initialFrequencyPpb;
        LastFrequencyPpb = initialFrequencyPpb;
    }

    public double Kp => _kp;
    public double Ki => _ki;
    public ServoState State { get; private set; } = ServoState.Unlocked;
    public double LastFrequencyPpb { get; private set; }

    /// <summary>Takes one offset (local clock minus master, ns) measured at local time <paramref name="localNs"/>; returns the correction in ppb.</summary>
    public double Sample(long offsetNs, long localNs)
    {
        double ppb = LastFrequencyPpb;
        double max = _config.MaxFrequencyPpb;
        long stepThreshold = _config.StepThreshold.Picoseconds / 1000, firstStepThreshold = _config.FirstStepThreshold.Picoseconds / 1000;
        switch (_count)
        {
            case 0:
                (_offset0, _local0) = (offsetNs, localNs);
                State = ServoState.Unlocked;
                _count = 1;
                break;
            case 1:
                if (_local0 >= localNs)
                {
                    State = ServoState.Unlocked;
                    _count = 0;
                    break;
                }
                double localDiff = (localNs - _local0) / 1e9;
                localDiff += localDiff * FrequencyEstimateMargin;
                double estimateInterval = Math.Min(0.016 / _ki, 1000.0);
                if (localDiff < estimateInterval)
                {
                    State = ServoState.Unlocked;
                    break;
                }
                _drift += (1e9 - _drift) * (offsetNs - _offset0) / (localNs - _local0);
                _drift = Math.Clamp(_drift, -max, max);
                State = (_firstUpdate && firstStepThreshold > 0 && firstStepThreshold < Math.Abs(offsetNs))
                    || (stepThreshold > 0 && stepThreshold < Math.Abs(offsetNs))
                    ? ServoState.Jump
                    : ServoState.Locked;
                ppb = _drift;
                _count = 2;
                break;
            default:
                if (stepThreshold > 0 && stepThreshold < Math.Abs(offsetNs))
                {
                    State = ServoState.Unlocked;
                    _count = 0;
                    break;
                }
                double kiTerm = _ki * offsetNs;
                ppb = _kp * offsetNs + _drift + kiTerm;
                if (ppb < -max) ppb = -max;
                else if (ppb > max) ppb = max;
                else _drift += kiTerm;
                State = ServoState.Locked;
                break;
        }
        // As servo.c: the first update is over once the servo has left the unlocked state.
        if (State != ServoState.Unlocked) _firstUpdate = false;
        LastFrequencyPpb = ppb;
        return ppb;
    }
}
