using Google.Protobuf;
using TsnSim.Protos.Traffic;

namespace TsnSim.Hosting.Traffic;

/// <summary>An injection log read back for replay: the run it belongs to and its injections with their line numbers.</summary>
public sealed record InjectionLog(string Path, RecordedRun Run, IReadOnlyList<(int Line, RecordedInjection Injection)> Injections)
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default);

    public static InjectionLog Read(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UserInputException($"{path}: cannot read the injection log: {e.Message}");
        }
        RecordedRun? run = null;
        var injections = new List<(int, RecordedInjection)>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            InjectionLogLine line;
            try
            {
                line = Parser.Parse<InjectionLogLine>(lines[i]);
            }
            catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException)
            {
                throw new UserInputException($"{path}:{i + 1}: not an injection log line ({e.Message}); expected one JSON object per line as `tsnsim up` writes them");
            }
            switch (line.LineCase)
            {
                case InjectionLogLine.LineOneofCase.Run when run is null:
                    run = line.Run;
                    break;
                case InjectionLogLine.LineOneofCase.Injection when run is not null:
                    injections.Add((i + 1, line.Injection));
                    break;
                case InjectionLogLine.LineOneofCase.End when run is not null:
                    run = line.End;
                    break;
                default:
                    throw new UserInputException($"{path}:{i + 1}: unexpected {line.LineCase} line; expected a 'run' line first, then 'injection' lines, then at most an 'end' line");
            }
        }
        return new InjectionLog(path, run ?? throw new UserInputException($"{path}: the injection log is empty; expected a 'run' line first"), injections);
    }
}
