namespace TsnSim.Core.Telemetry;

/// <summary>What the report says of a stream besides its figures: from the topology, or from whoever started it during the run.</summary>
public sealed record StreamDefinition(string Name, string Talker, IReadOnlyList<string> Listeners, int Pcp);
