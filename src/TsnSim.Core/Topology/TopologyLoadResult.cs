namespace TsnSim.Core.Topology;

/// <summary>The outcome of loading a topology file: the topology when it is valid, and every diagnostic either way.</summary>
public sealed record TopologyLoadResult(TopologyConfig? Topology, IReadOnlyList<TopologyDiagnostic> Diagnostics)
{
    /// <summary>True when the file had no errors (it may still have warnings).</summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(Topology))]
    public bool Succeeded => Topology is not null;

    public IEnumerable<TopologyDiagnostic> Errors => Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error);

    public IEnumerable<TopologyDiagnostic> Warnings => Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning);
}
