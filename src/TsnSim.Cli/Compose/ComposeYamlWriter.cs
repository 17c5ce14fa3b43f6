using System.Globalization;
using System.Text;

namespace TsnSim.Cli.Compose;

/// <summary>
/// Writes the small subset of YAML a compose file needs, by hand so that the output carries
/// explanatory comments and stays byte-for-byte stable. Every value is double-quoted: YAML 1.1
/// readers turn unquoted <c>50050:50050</c> into a base-60 number and <c>on</c> or <c>no</c>
/// into booleans, and quoting always costs nothing.
/// </summary>
internal sealed class ComposeYamlWriter
{
    private const string IndentUnit = "  ";

    private readonly StringBuilder _text = new();
    private int _depth;

    public void Comment(string text)
    {
        // A line break in a comment would turn the rest of it into YAML.
        var safe = new string(text.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        AppendLine(safe.Length == 0 ? "#" : "# " + safe);
    }

    public void BlankLine() => _text.Append('\n');

    /// <summary>Starts a mapping under <paramref name="key"/>; dispose to end it.</summary>
    public IDisposable Mapping(string key)
    {
        AppendLine(Key(key) + ":");
        _depth++;
        return new BlockEnd(this);
    }

    public void Value(string key, string value) => AppendLine($"{Key(key)}: {Quote(value)}");

    /// <summary>A value in which compose must expand <c>${VARIABLE}</c>, unlike in every other value.</summary>
    public void InterpolatedValue(string key, string value) => AppendLine($"{Key(key)}: \"{EscapeQuoted(value)}\"");

    public void BlockList(string key, IEnumerable<string> items)
    {
        AppendLine(Key(key) + ":");
        foreach (var item in items) AppendLine(IndentUnit + "- " + Quote(item));
    }

    public void FlowList(string key, IEnumerable<string> items) =>
        AppendLine($"{Key(key)}: [{string.Join(", ", items.Select(Quote))}]");

    public override string ToString() => _text.ToString();

    /// <summary>
    /// A double-quoted scalar compose reads back as exactly <paramref name="value"/>: compose
    /// expands <c>$</c> in every value, so a literal one is doubled.
    /// </summary>
    public static string Quote(string value) => "\"" + EscapeQuoted(value.Replace("$", "$$", StringComparison.Ordinal)) + "\"";

    /// <summary>
    /// Keys stay plain when no YAML reader could take them for anything but a string (names
    /// like <c>sw1</c>, <c>TSNSIM_NODE</c>); anything else, e.g. a node called <c>on</c> or
    /// <c>h1.a</c>, is quoted.
    /// </summary>
    public static string Key(string key) => IsPlainSafe(key) ? key : Quote(key);

    private static readonly HashSet<string> WordsYamlReadsAsOtherTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "y", "n", "yes", "no", "on", "off", "true", "false", "null",
    };

    private static bool IsPlainSafe(string text) =>
        text.Length > 0
        && char.IsAsciiLetter(text[0])
        && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
        && !WordsYamlReadsAsOtherTypes.Contains(text);

    private static string EscapeQuoted(string value)
    {
        var escaped = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': escaped.Append(@"\\"); break;
                case '"': escaped.Append("\\\""); break;
                case '\n': escaped.Append(@"\n"); break;
                case '\t': escaped.Append(@"\t"); break;
                default:
                    if (char.IsControl(c)) escaped.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}");
                    else escaped.Append(c);
                    break;
            }
        }
        return escaped.ToString();
    }

    private void AppendLine(string line)
    {
        for (int i = 0; i < _depth; i++) _text.Append(IndentUnit);
        _text.Append(line).Append('\n');
    }

    private sealed class BlockEnd(ComposeYamlWriter writer) : IDisposable
    {
        public void Dispose() => writer._depth--;
    }
}
