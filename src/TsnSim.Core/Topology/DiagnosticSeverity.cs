namespace TsnSim.Core.Topology;

/// <summary>How much a topology diagnostic matters: an error rejects the file, a warning does not.</summary>
public enum DiagnosticSeverity
{
    Error,
    Warning,
}
