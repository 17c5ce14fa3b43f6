using Google.Protobuf;
using TsnSim.Protos.Traffic;

namespace TsnSim.Hosting.Traffic;

/// <summary>
/// Appends a run's accepted injections to its injection log (JSON lines, see
/// <see cref="InjectionLogLine"/>), flushing each batch so a run that dies keeps what it took.
/// The file is created with the first injection: a run nobody poked leaves no file behind.
/// </summary>
public sealed class InjectionLogWriter(string path, RecordedRun run) : IDisposable
{
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default);
    private StreamWriter? _writer;

    public string Path { get; } = path;
    public long Written { get; private set; }

    public void Append(IEnumerable<RecordedInjection> injections)
    {
        foreach (var injection in injections)
        {
            if (_writer is null)
            {
                try
                {
                    _writer = new StreamWriter(Path, append: false);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new UserInputException($"--injections: cannot write '{Path}': {e.Message}");
                }
                WriteLine(new InjectionLogLine { Run = run });
            }
            WriteLine(new InjectionLogLine { Injection = injection });
            Written++;
        }
        _writer?.Flush();
    }

    /// <summary>Ends the log of a run that stopped at <paramref name="durationPs"/> rather than at a duration it was given.</summary>
    public void End(long durationPs)
    {
        if (_writer is null) return;
        var end = run.Clone();
        end.DurationPs = durationPs;
        WriteLine(new InjectionLogLine { End = end });
        _writer.Flush();
    }

    private void WriteLine(InjectionLogLine line) => _writer!.WriteLine(Json.Format(line));

    public void Dispose() => _writer?.Dispose();
}
