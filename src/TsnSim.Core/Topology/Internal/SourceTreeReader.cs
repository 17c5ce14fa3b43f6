using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace TsnSim.Core.Topology.Internal;

/// <summary>Builds <see cref="SourceNode"/> trees from YamlDotNet's parser events.</summary>
internal static class SourceTreeReader
{
    /// <summary>Far deeper than any topology; the limit turns a hostile "[[[[..." into an error instead of a stack overflow.</summary>
    private const int MaximumDepth = 64;

    /// <summary>
    /// Reads every document of <paramref name="text"/>; a document with no content gives a null root.
    /// Throws <see cref="YamlException"/> on a syntax error, with YamlDotNet's position.
    /// </summary>
    public static IReadOnlyList<(SourceNode? Root, Mark Start)> ReadDocuments(string text)
    {
        var parser = new Parser(new StringReader(text));
        var anchors = new Dictionary<string, SourceNode>(StringComparer.Ordinal);
        var documents = new List<(SourceNode?, Mark)>();
        try
        {
            parser.Consume<StreamStart>();
            while (!parser.TryConsume<StreamEnd>(out _))
            {
                var start = parser.Consume<DocumentStart>().Start;
                var root = ReadNode(parser, anchors, depth: 1);
                parser.Consume<DocumentEnd>();
                documents.Add((root is ScalarSourceNode { IsNull: true } ? null : root, start));
            }
        }
        catch (Exception e) when (e is not YamlException)
        {
            // YamlDotNet's scanner has a few inputs (an unclosed flow list followed by a mapping)
            // on which it fails with a bare InvalidOperationException; the last event it produced
            // is the best position we have, and the loader must never throw on bad input.
            var mark = parser.Current?.End ?? Mark.Empty;
            throw new YamlException(mark, mark, "malformed YAML after this point; check for an unclosed bracket, brace or quote", e);
        }
        return documents;
    }

    private static SourceNode ReadNode(IParser parser, Dictionary<string, SourceNode> anchors, int depth)
    {
        if (depth > MaximumDepth)
            throw new YamlException(parser.Current!.Start, parser.Current.End, $"nesting deeper than {MaximumDepth} levels; a topology never needs that many");
        switch (parser.Current)
        {
            case AnchorAlias alias:
                parser.MoveNext();
                // Aliases share the anchored node, so a diagnostic in it points at the anchor's text.
                return anchors.TryGetValue(alias.Value.Value, out var anchored)
                    ? anchored
                    : throw new YamlException(alias.Start, alias.End, $"alias '*{alias.Value.Value}' refers to no anchor defined before it");
            case Scalar scalar:
                parser.MoveNext();
                return Remember(anchors, scalar.Anchor,
                    new ScalarSourceNode(LineOf(scalar.Start), ColumnOf(scalar.Start), scalar.Value, scalar.Style == ScalarStyle.Plain));
            case SequenceStart sequenceStart:
            {
                parser.MoveNext();
                var items = new List<SourceNode>();
                while (!parser.TryConsume<SequenceEnd>(out _)) items.Add(ReadNode(parser, anchors, depth + 1));
                return Remember(anchors, sequenceStart.Anchor,
                    new SequenceSourceNode(LineOf(sequenceStart.Start), ColumnOf(sequenceStart.Start), items));
            }
            case MappingStart mappingStart:
            {
                parser.MoveNext();
                var entries = new List<MappingEntry>();
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var key = ReadNode(parser, anchors, depth + 1);
                    var value = ReadNode(parser, anchors, depth + 1);
                    entries.Add(new MappingEntry(key, value));
                }
                return Remember(anchors, mappingStart.Anchor,
                    new MappingSourceNode(LineOf(mappingStart.Start), ColumnOf(mappingStart.Start), entries));
            }
            default:
                var unexpected = parser.Current!;
                throw new YamlException(unexpected.Start, unexpected.End, $"unexpected {unexpected.GetType().Name}");
        }
    }

    private static SourceNode Remember(Dictionary<string, SourceNode> anchors, AnchorName anchor, SourceNode node)
    {
        if (!anchor.IsEmpty) anchors[anchor.Value] = node;
        return node;
    }

    internal static int LineOf(Mark mark) => (int)Math.Min(mark.Line, int.MaxValue);

    internal static int ColumnOf(Mark mark) => (int)Math.Min(mark.Column, int.MaxValue);
}
