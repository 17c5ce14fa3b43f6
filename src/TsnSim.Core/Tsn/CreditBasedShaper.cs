namespace TsnSim.Core.Tsn;

/// <summary>
/// One class's credit (802.1Q 8.6.8.2), in bits, kept piecewise: it grows at idleslope while
/// frames of the class wait (or while it is below zero), falls at sendslope while the class
/// transmits, drops to zero when the queue empties with credit to spare, and stays within
/// [locredit, hicredit]; a frame may start only with credit ≥ 0. While the class's gate is
/// closed the credit is frozen: a class cannot bank credit for a window it has not got, which
/// would let it burst beyond its reservation when the gate reopens (the rule 802.1Q-2018's
/// scheduled-traffic clause chooses too, scaling idleslope by the open share instead).
/// </summary>
public sealed class CreditBasedShaper(CreditBasedShaperConfig config)
{
    private readonly double _idleBitsPerPs = config.IdleSlopeKbps * 1e3 / 1e12;
    private readonly double _sendBitsPerPs = config.SendSlopeKbps * 1e3 / 1e12;
    private readonly double _hi = config.HiCreditBytes * 8.0, _lo = config.LoCreditBytes * 8.0;
    private long _atPs;

    public CreditBasedShaperConfig Config { get; } = config;

    /// <summary>The credit in bits at the last update.</summary>
    public double CreditBits { get; private set; }

    /// <summary>The lowest and highest credit ever held (bits): they must stay within the bounds.</summary>
    public double MinCreditBits { get; private set; }
    public double MaxCreditBits { get; private set; }

    /// <summary>
    /// Brings the credit to <paramref name="nowPs"/>: the class transmitted all along
    /// (<paramref name="transmitting"/>), or it waited with <paramref name="waiting"/> frames
    /// queued and its gate open (<paramref name="gateOpen"/>) since the last update.
    /// </summary>
    public void Advance(long nowPs, bool transmitting, bool waiting, bool gateOpen)
    {
        double dt = nowPs - _atPs;
        _atPs = nowPs;
        if (dt <= 0) return;
        double credit = CreditBits;
        if (transmitting) credit += _sendBitsPerPs * dt;
        else if (!gateOpen) { }
        else if (waiting) credit += _idleBitsPerPs * dt;
        else if (credit < 0) credit = Math.Min(0, credit + _idleBitsPerPs * dt);
        else credit = 0;
        Set(credit);
    }

    /// <summary>The queue emptied: spare credit is lost (802.1Q: credit resets to zero when no frame waits).</summary>
    public void QueueEmptied()
    {
        if (CreditBits > 0) Set(0);
    }

    /// <summary>Picoseconds of waiting with the gate open until the credit is back to zero; 0 when it is not negative.</summary>
    public long TimeToZeroPs => CreditBits >= 0 ? 0 : (long)Math.Ceiling(-CreditBits / _idleBitsPerPs);

    private void Set(double credit)
    {
        CreditBits = Math.Clamp(credit, _lo, _hi);
        MinCreditBits = Math.Min(MinCreditBits, CreditBits);
        MaxCreditBits = Math.Max(MaxCreditBits, CreditBits);
    }
}
