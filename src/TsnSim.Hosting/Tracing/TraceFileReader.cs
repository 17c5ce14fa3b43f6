using System.Text.Json;

namespace TsnSim.Hosting.Tracing;

/// <summary>
/// Reads OTLP/JSON lines (what <c>--trace-dir</c> writes, and what the OpenTelemetry Collector's
/// file exporter writes) back into spans. A line that is not OTLP/JSON is an error naming the
/// file and line.
/// </summary>
public static class TraceFileReader
{
    /// <summary>Every span of every <c>*.jsonl</c> file in <paramref name="directory"/>, or of the one file given.</summary>
    /// <param name="warnings">Where to say that an incomplete last line (a run cut off while writing) was skipped; standard error by default.</param>
    public static IReadOnlyList<RecordedSpan> ReadAll(string directory, TextWriter? warnings = null)
    {
        string[] files;
        if (File.Exists(directory)) files = [directory];
        else if (Directory.Exists(directory)) files = Directory.GetFiles(directory, "*.jsonl").Order(StringComparer.Ordinal).ToArray();
        else throw new UserInputException($"{directory}: no such trace directory or file; expected the directory given to --trace-dir");
        if (files.Length == 0) throw new UserInputException($"{directory}: no *.jsonl trace files; expected the directory given to --trace-dir of a run with traced streams");
        var spans = new List<RecordedSpan>();
        foreach (var file in files) Read(file, spans, warnings ?? Console.Error);
        return spans;
    }

    private static void Read(string file, List<RecordedSpan> into, TextWriter warnings)
    {
        var lines = File.ReadAllLines(file);
        for (int number = 1; number <= lines.Length; number++)
        {
            var line = lines[number - 1];
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                using var document = JsonDocument.Parse(line);
                foreach (var resource in document.RootElement.GetProperty("resourceSpans").EnumerateArray())
                {
                    var runId = resource.TryGetProperty("resource", out var r) ? Attributes(r).GetValueOrDefault(TraceAttributes.RunId) : null;
                    foreach (var scope in resource.GetProperty("scopeSpans").EnumerateArray())
                        foreach (var span in scope.GetProperty("spans").EnumerateArray())
                            into.Add(new RecordedSpan(
                                span.GetProperty("traceId").GetString()!,
                                span.GetProperty("spanId").GetString()!,
                                span.TryGetProperty("parentSpanId", out var parent) && parent.GetString() is { Length: > 0 } p ? p : null,
                                span.GetProperty("name").GetString()!,
                                Attributes(span),
                                span.TryGetProperty("events", out var events)
                                    ? events.EnumerateArray().Select(e => new RecordedSpanEvent(e.GetProperty("name").GetString()!, Attributes(e))).ToList()
                                    : [],
                                Path.GetFileName(file),
                                runId));
                }
            }
            catch (JsonException) when (number == lines.Length)
            {
                warnings.WriteLine($"{file}:{number}: incomplete last line skipped (the run was cut off while writing it)");
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new UserInputException($"{file}:{number}: not an OTLP/JSON trace line ({e.Message}); expected one ExportTraceServiceRequest per line, as --trace-dir writes");
            }
        }
    }

    private static Dictionary<string, string> Attributes(JsonElement owner)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!owner.TryGetProperty("attributes", out var list)) return attributes;
        foreach (var attribute in list.EnumerateArray())
        {
            var value = attribute.GetProperty("value");
            foreach (var field in value.EnumerateObject())
            {
                attributes[attribute.GetProperty("key").GetString()!] = field.Value.ValueKind switch
                {
                    JsonValueKind.String => field.Value.GetString()!,
                    _ => field.Value.GetRawText(),
                };
                break;
            }
        }
        return attributes;
    }
}
