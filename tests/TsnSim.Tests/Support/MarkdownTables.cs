namespace TsnSim.Tests.Support;

/// <summary>
/// Reads the pipe tables of a Markdown document (GitHub's table syntax), each under the heading
/// before it: rows as heading → cell text, with <c>\|</c> read back as a pipe.
/// </summary>
public static class MarkdownTables
{
    public static Dictionary<string, List<Dictionary<string, string>>> Read(string markdown)
    {
        var tables = new Dictionary<string, List<Dictionary<string, string>>>();
        string section = "";
        string[]? headings = null;
        foreach (var line in markdown.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (line.StartsWith('#')) section = line.TrimStart('#').Trim();
            if (!line.StartsWith('|'))
            {
                headings = null;
                continue;
            }
            var cells = Cells(line);
            if (headings is null)
            {
                headings = cells;
                tables[section] = [];
            }
            else if (cells.All(c => c.Trim(':').All(ch => ch == '-') && c.Length > 0)) continue;
            else tables[section].Add(headings.Zip(cells).ToDictionary(p => p.First, p => p.Second));
        }
        return tables;
    }

    private static string[] Cells(string line)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        for (int i = 1; i < line.Length; i++)
        {
            if (line[i] == '\\' && i + 1 < line.Length) cell.Append(line[++i]);
            else if (line[i] == '|')
            {
                cells.Add(cell.ToString().Trim());
                cell.Clear();
            }
            else cell.Append(line[i]);
        }
        return cells.ToArray();
    }
}
