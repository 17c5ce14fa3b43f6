using TsnSim.Core.Time;

namespace TsnSim.Core.Nic;

/// <summary>
/// Receive segment coalescing on a NIC: on which Rx queues (null: every queue), how long a
/// coalesced unit may stay open before it is flushed, and how many flows each queue coalesces
/// at once (its hardware contexts).
/// </summary>
public sealed record RscConfig(IReadOnlySet<int>? Queues, SimTime FlushTimeout, int Contexts)
{
    public static readonly SimTime DefaultFlushTimeout = SimTime.FromMicroseconds(20);
    public const int DefaultContexts = 8;

    public bool CoversQueue(int queue) => Queues is null || Queues.Contains(queue);
}
