using TsnSim.Core.Telemetry;

namespace TsnSim.Hosting;

public static class ReportFile
{
    /// <summary>Writes the JSON report through a temporary file, so a reader never sees half a report.</summary>
    public static void Write(string path, RunReport report)
    {
        try
        {
            var full = Path.GetFullPath(path);
            var directory = Path.GetDirectoryName(full);
            if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
            var temporary = full + ".tmp";
            File.WriteAllText(temporary, report.ToJson());
            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"--report: cannot write '{path}': {e.Message}");
        }
    }
}
