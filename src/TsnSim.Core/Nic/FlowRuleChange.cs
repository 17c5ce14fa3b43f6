namespace TsnSim.Core.Nic;

/// <summary>The steering rules that replace a port's whole list at <see cref="NicChange.At"/> (true time); an empty list removes them all.</summary>
public sealed record FlowRuleChange(Time.SimTime At, IReadOnlyList<FlowRule> Rules) : NicChange(At);
