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

    /// <summary>
    /// The given fields of every packet of <paramref name="file"/> that passes the display
    /// <paramref name="filter"/>, one row per packet; <paramref name="options"/> go before the filter (e.g. "-o", "pref:value").
    /// </summary>
    public static List<string[]> Fields(string file, string filter, string[] fields, params string[] options)
    {
        var arguments = new List<string> { "-r", file };
        arguments.AddRange(options);
        arguments.AddRange(["-Y", filter, "-T", "fields", "-E", "separator=|"]);
        foreach (var field in fields) arguments.AddRange(["-e", field]);
        var (code, stdout, stderr) = Run([.. arguments]);
        Assert.True(code == 0, stderr);
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('|')).ToList();
    }

    /// <summary>Asserts that Wireshark finds no malformed packet and no error in any pcapng file of <paramref name="directory"/>.</summary>
    public static void AssertEveryCaptureClean(string directory)
    {
        var files = Directory.GetFiles(directory, "*.pcapng");
        Assert.NotEmpty(files);
        foreach (var file in files) AssertCaptureClean(file);
    }

    /// <summary>Asserts that Wireshark finds no malformed packet and no error in <paramref name="file"/>.</summary>
    public static void AssertCaptureClean(string file)
    {
        var bad = Run("-r", file, "-Y", "_ws.malformed || _ws.expert.severity >= error");
        Assert.True(bad.Code == 0, bad.Stderr);
        Assert.True(bad.Stdout.Trim().Length == 0, $"{file}: {bad.Stdout}");
    }
}
