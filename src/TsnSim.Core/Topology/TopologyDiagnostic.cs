namespace TsnSim.Core.Topology;

/// <summary>
/// One problem found in a topology file, pinned to the node that causes it so an editor or a
/// terminal can jump straight there.
/// </summary>
/// <param name="Source">The file name the text came from, as given to the loader.</param>
/// <param name="Line">1-based line of the offending YAML node.</param>
/// <param name="Column">1-based column of the offending YAML node.</param>
/// <param name="Field">Path of the offending field (<c>links[2].endpoints[0]</c>, <c>nodes.sw1.processing</c>); empty for file-level problems.</param>
/// <param name="Message">What is wrong and what was expected instead.</param>
/// <param name="Severity">Whether the problem rejects the file.</param>
public sealed record TopologyDiagnostic(
    string Source,
    int Line,
    int Column,
    string Field,
    string Message,
    DiagnosticSeverity Severity)
{
    public bool IsError => Severity == DiagnosticSeverity.Error;

    /// <summary>The compiler-style form <c>file:line:column: error: field: message</c> that editors turn into links.</summary>
    public override string ToString()
    {
        var severity = Severity == DiagnosticSeverity.Error ? "error" : "warning";
        var field = Field.Length == 0 ? "" : Field + ": ";
        return $"{Source}:{Line}:{Column}: {severity}: {field}{Message}";
    }
}
