using System.Text.Json;

namespace TsnSim.Tests.Compose;

/// <summary>
/// The instructions of a Dockerfile, continuation lines joined and comments dropped: enough
/// to check it statically, since no Docker engine runs where the tests do.
/// </summary>
internal sealed record DockerfileInstructions(IReadOnlyList<(string Keyword, string Arguments)> Instructions)
{
    public static DockerfileInstructions Read(string path)
    {
        var instructions = new List<(string, string)>();
        var pending = "";
        foreach (var rawLine in File.ReadAllLines(path))
        {
            var line = rawLine.Trim();
            if (line.StartsWith('#') || (line.Length == 0 && pending.Length == 0)) continue;
            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }
            var instruction = (pending + line).Trim();
            pending = "";
            if (instruction.Length == 0) continue;
            var space = instruction.IndexOf(' ');
            instructions.Add(space < 0
                ? (instruction.ToUpperInvariant(), "")
                : (instruction[..space].ToUpperInvariant(), instruction[(space + 1)..].Trim()));
        }
        return new DockerfileInstructions(instructions);
    }

    public IEnumerable<string> Arguments(string keyword) =>
        Instructions.Where(i => i.Keyword == keyword).Select(i => i.Arguments);

    /// <summary>The instructions after the last FROM: what the image that runs is made of.</summary>
    public IEnumerable<(string Keyword, string Arguments)> FinalStage() =>
        Instructions.Skip(Instructions.ToList().FindLastIndex(i => i.Keyword == "FROM"));

    /// <summary>The words of the shell commands that RUN executes, split at whitespace and '&amp;&amp;'.</summary>
    public IEnumerable<string[]> RunCommands() =>
        Arguments("RUN").SelectMany(run => run.Split("&&"))
            .Select(command => command.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    public static string[] ExecForm(string arguments) => JsonSerializer.Deserialize<string[]>(arguments)!;
}
