using TsnSim.Core.Topology.Internal;
using YamlDotNet.Core;

namespace TsnSim.Core.Topology;

/// <summary>
/// Reads and validates topology files (YAML; see docs/topology-format.md). Pure: the caller
/// reads the file, the loader never touches the file system or the console, and bad input
/// never throws — every problem comes back as a <see cref="TopologyDiagnostic"/>.
/// </summary>
public static class TopologyLoader
{
    /// <summary>Loads a topology from the raw bytes of a file, rejecting content that is not UTF-8 text.</summary>
    public static TopologyLoadResult Load(byte[] content, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(content);
        var diagnostics = new DiagnosticCollector(sourceName);
        var text = SourceTextDecoder.Decode(content, diagnostics);
        return text is null ? new TopologyLoadResult(null, diagnostics.InFileOrder()) : LoadText(text, sourceName, diagnostics);
    }

    /// <summary>Loads a topology from text already decoded.</summary>
    public static TopologyLoadResult Load(string text, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(text);
        var diagnostics = new DiagnosticCollector(sourceName);
        int nul = text.IndexOf('\0');
        if (nul >= 0)
        {
            int line = 1 + text.AsSpan(0, nul).Count('\n');
            int column = nul - (text.LastIndexOf('\n', Math.Max(0, nul - 1)) + 1) + 1;
            diagnostics.Error(line, column, "", $"not a text file: a NUL character at character offset {nul}; expected YAML text");
            return new TopologyLoadResult(null, diagnostics.InFileOrder());
        }
        return LoadText(text, sourceName, diagnostics);
    }

    private static TopologyLoadResult LoadText(string text, string sourceName, DiagnosticCollector diagnostics)
    {
        IReadOnlyList<(SourceNode? Root, Mark Start)> documents;
        try
        {
            documents = SourceTreeReader.ReadDocuments(text);
        }
        catch (YamlException e)
        {
            diagnostics.Error(SourceTreeReader.LineOf(e.Start), SourceTreeReader.ColumnOf(e.Start), "", $"YAML syntax error: {SyntaxMessage(e)}");
            return new TopologyLoadResult(null, diagnostics.InFileOrder());
        }

        var root = documents.Count > 0 ? documents[0].Root : null;
        if (root is null)
        {
            diagnostics.Error(1, 1, "", "the file is empty (only blanks or comments); expected a topology with name, nodes and links");
            return new TopologyLoadResult(null, diagnostics.InFileOrder());
        }
        for (int i = 1; i < documents.Count; i++)
            diagnostics.Error(SourceTreeReader.LineOf(documents[i].Start), SourceTreeReader.ColumnOf(documents[i].Start), "",
                "a second YAML document; expected one topology per file");

        var topology = TopologyDocumentReader.Read(root, sourceName, diagnostics);
        return new TopologyLoadResult(diagnostics.HasErrors ? null : topology, diagnostics.InFileOrder());
    }

    /// <summary>YamlDotNet's message without the position prefix it sometimes adds, since the diagnostic carries the position.</summary>
    private static string SyntaxMessage(YamlException e)
    {
        var message = e.Message;
        int prefixEnd = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line:", StringComparison.Ordinal) && prefixEnd >= 0 ? message[(prefixEnd + 3)..] : message;
    }
}
