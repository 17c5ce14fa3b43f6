namespace TsnSim.Core.Nic;

/// <summary>A new key, a new indirection table, or both, that a port's RSS takes at <see cref="NicChange.At"/> (true time) while traffic runs.</summary>
public sealed record RssChange(Time.SimTime At, byte[]? Key, IReadOnlyList<int>? Table) : NicChange(At);
