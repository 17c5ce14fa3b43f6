namespace TsnSim.Core.Topology.Internal;

/// <summary>Gathers every diagnostic of one load, so a user fixes a file in one round rather than one error per run.</summary>
internal sealed class DiagnosticCollector(string source)
{
    private readonly List<TopologyDiagnostic> _diagnostics = [];

    public bool HasErrors { get; private set; }

    public void Error(SourceNode at, string field, string message) => Error(at.Line, at.Column, field, message);

    public void Error(int line, int column, string field, string message)
    {
        HasErrors = true;
        _diagnostics.Add(new TopologyDiagnostic(source, line, column, field, message, DiagnosticSeverity.Error));
    }

    public void Warning(SourceNode at, string field, string message) =>
        _diagnostics.Add(new TopologyDiagnostic(source, at.Line, at.Column, field, message, DiagnosticSeverity.Warning));

    /// <summary>The diagnostics in file order, which is how a reader walks the file to fix them.</summary>
    public IReadOnlyList<TopologyDiagnostic> InFileOrder() =>
        [.. _diagnostics.OrderBy(d => d.Line).ThenBy(d => d.Column)];
}
