namespace TsnSim.Tests.Support;

/// <summary>Runs the real <c>tsnsim</c> command in its own process, as a user would, and captures what it prints.</summary>
public static class CliProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(params string[] arguments)
    {
        using var process = new SpawnedProcess("tsnsim.dll", arguments);
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            throw new TimeoutException($"tsnsim {string.Join(' ', arguments)} did not finish");
        return new Result(process.ExitCode, process.Stdout, process.Stderr);
    }

    /// <summary>Writes <paramref name="content"/> to a fresh temporary file and returns its path.</summary>
    public static string TempFile(string content, string extension = ".yaml")
    {
        var path = Path.Combine(Path.GetTempPath(), $"tsnsim-test-{Guid.NewGuid():N}{extension}");
        File.WriteAllText(path, content);
        return path;
    }
}
