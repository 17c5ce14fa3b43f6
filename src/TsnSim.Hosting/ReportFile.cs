using TsnSim.Core.Telemetry;

namespace TsnSim.Hosting;

public static class ReportFile
{
    /// <summary>Writes the JSON report through a temporary file, so a reader never sees half a report.</summary>
    public static void Write(string path, RunReport report) => Replace(path, report.ToJson(), "--report");

    /// <summary>Writes the Markdown report (<see cref="MarkdownReport"/>) the same way.</summary>
    public static void WriteMarkdown(string path, RunReport report) => Replace(path, MarkdownReport.Render(report), "--report-md");

    /// <summary>Both reports the options ask for; either path may be null.</summary>
    public static void WriteAll(string? jsonPath, string? markdownPath, RunReport report)
    {
        if (jsonPath is not null) Write(jsonPath, report);
        if (markdownPath is not null) WriteMarkdown(markdownPath, report);
    }

    private static void Replace(string path, string contents, string option)
    {
        try
        {
            var full = Path.GetFullPath(path);
            var directory = Path.GetDirectoryName(full);
            if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
            var temporary = full + ".tmp";
            File.WriteAllText(temporary, contents);
            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"{option}: cannot write '{path}': {e.Message}");
        }
    }
}
