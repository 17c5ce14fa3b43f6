using TsnSim.Core.Links;
using TsnSim.Core.Ptp.Messages;
using TsnSim.Core.Time;

namespace TsnSim.Core.Ptp;

/// <summary>
/// One port's gPTP state: its peer-delay measurement as requester (t1 … t4, the neighbour rate
/// ratio from successive responses, a moving median of the delay, asCapable), and the Sync it
/// relays as a master port (its egress timestamp, waiting for the upstream Follow_Up).
/// </summary>
public sealed class GptpPort(Port port, int filterLength)
{
    private readonly MovingMedian _delays = new(filterLength);
    private double? _previousT3, _previousT4;

    public Port Port { get; } = port;
    public PortIdentity Identity { get; init; }

    // The exchange in progress.
    public ushort PdelaySequence { get; set; }
    public SimTime? T1 { get; set; }
    public SimTime? T2 { get; set; }
    public SimTime? T4 { get; set; }

    /// <summary>Responder's clock over requester's, from the last two exchanges; 1 until there are two.</summary>
    public double NeighborRateRatio { get; private set; } = 1;

    /// <summary>The moving median of the measured link delays (ps, in the responder's time base); null before the first.</summary>
    public double? MeanLinkDelayPs { get; private set; }

    /// <summary>The last single measurement (ps), before the median.</summary>
    public double? LastRawDelayPs { get; private set; }

    public bool AsCapable { get; private set; }

    /// <summary>802.1AS's allowedLostResponses: this many requests in a row without a complete answer and the port is no longer asCapable.</summary>
    public const int AllowedLostResponses = 3;

    private int _lostResponses;
    private bool _answered = true;

    /// <summary>
    /// A new request is about to go out; the previous one, if never answered in full, counts as
    /// lost. Returns true when that made the port stop being asCapable.
    /// </summary>
    public bool StartExchange()
    {
        _lostResponses = _answered ? 0 : _lostResponses + 1;
        _answered = false;
        if (_lostResponses < AllowedLostResponses || !AsCapable) return false;
        AsCapable = false;
        return true;
    }

    /// <summary>The last Announce received here (its vector as this port sees it, its path trace) and when; null once it expired.</summary>
    public (PriorityVector Vector, IReadOnlyList<ulong> Path, SimTime At)? Announce { get; set; }

    /// <summary>As a master port: the Sync relayed last (its sequence) and its egress timestamp once sent.</summary>
    public ushort RelayedSyncSequence { get; set; }
    public SimTime? RelayedSyncEgress { get; set; }
    public bool FollowUpDue { get; set; }

    /// <summary>
    /// Completes an exchange with the responder's t3 (the Pdelay_Resp's egress): delay =
    /// ((t4 − t1) × r − (t3 − t2)) / 2, r the neighbour rate ratio (802.1AS 11.2.19).
    /// </summary>
    public void Complete(SimTime t3, SimTime threshold)
    {
        if (T1 is not { } t1 || T2 is not { } t2 || T4 is not { } t4) return;
        double t3ps = t3.Picoseconds, t4ps = t4.Picoseconds;
        if (_previousT3 is { } p3 && _previousT4 is { } p4 && t4ps > p4) NeighborRateRatio = (t3ps - p3) / (t4ps - p4);
        (_previousT3, _previousT4) = (t3ps, t4ps);
        double raw = ((t4ps - t1.Picoseconds) * NeighborRateRatio - (t3ps - t2.Picoseconds)) / 2;
        LastRawDelayPs = raw;
        MeanLinkDelayPs = _delays.Add(raw);
        _answered = true;
        AsCapable = MeanLinkDelayPs <= threshold.Picoseconds;
        T1 = T2 = T4 = null;
    }
}
