using System.Diagnostics;

namespace TsnSim.Tests.Support;

/// <summary>Wireshark's command-line dissector, the outside judge of our bytes; .ci/run installs it (Debian package tshark).</summary>
public static class Tshark
{
    private static readonly Lazy<string?> Found = new(() =>
        new[] { "/usr/bin/tshark", "/usr/local/bin/tshark" }.FirstOrDefault(File.Exists));

    public static string? Path => Found.Value;

    public const string Missing = "tshark is not installed (apt-get install tshark); .ci/run installs it";

    /// <summary>Runs tshark with <paramref name="arguments"/>; returns its exit code and what it printed.</summary>
    public static (int Code, string Stdout, string Stderr) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(Path ?? throw new InvalidOperationException(Missing)) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1))) process.Kill();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
