namespace TsnSim.Core.Engine;

/// <summary>
/// Where an event stands in the total order of a run: (time, class and source, sequence), the
/// key <see cref="ScheduledEvent"/> sorts by. Lanes of one partition run apart, so what one lane
/// did must be placed by this key, not by the moment it ran.
/// </summary>
public readonly record struct EventKey(long Time, long ClassAndSource, long Sequence)
{
    public static readonly EventKey Max = new(long.MaxValue, long.MaxValue, long.MaxValue);

    public bool Precedes(in EventKey other) =>
        Time != other.Time ? Time < other.Time
        : ClassAndSource != other.ClassAndSource ? ClassAndSource < other.ClassAndSource
        : Sequence < other.Sequence;
}
