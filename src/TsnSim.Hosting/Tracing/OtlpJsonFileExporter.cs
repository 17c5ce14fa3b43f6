using System.Diagnostics;
using System.Text;
using System.Text.Json;
using OpenTelemetry;
using OpenTelemetry.Resources;

namespace TsnSim.Hosting.Tracing;

/// <summary>
/// Writes spans as OTLP/JSON lines, the format of the OpenTelemetry Collector's file exporter:
/// each line one <c>ExportTraceServiceRequest</c> (resourceSpans → scopeSpans → spans) in the
/// protobuf JSON mapping, trace and span ids in hex, 64-bit numbers as strings. The Collector's
/// otlpjsonfile receiver reads such files back. Spans are buffered and written a line per
/// <see cref="SpansPerLine"/> and at every flush, so a run that stops loses at most one line.
/// </summary>
public sealed class OtlpJsonFileExporter : BaseExporter<Activity>
{
    public const int SpansPerLine = 256;
    private readonly StreamWriter _writer;
    private readonly List<Activity> _pending = [];
    private readonly object _gate = new();

    public OtlpJsonFileExporter(string path)
    {
        Path = path;
        try
        {
            if (System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) is { } directory) Directory.CreateDirectory(directory);
            _writer = new StreamWriter(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read), new UTF8Encoding(false));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"--trace-dir: cannot write {path}: {e.Message}");
        }
    }

    public string Path { get; }

    public override ExportResult Export(in Batch<Activity> batch)
    {
        lock (_gate)
        {
            // Stopped activities do not change any more: holding them until the line is written is safe.
            foreach (var activity in batch) _pending.Add(activity);
            if (_pending.Count >= SpansPerLine) WriteLine();
        }
        return ExportResult.Success;
    }

    protected override bool OnForceFlush(int timeoutMilliseconds)
    {
        lock (_gate)
        {
            WriteLine();
            _writer.Flush();
        }
        return true;
    }

    protected override bool OnShutdown(int timeoutMilliseconds)
    {
        lock (_gate)
        {
            WriteLine();
            _writer.Dispose();
        }
        return true;
    }

    private void WriteLine()
    {
        if (_pending.Count == 0) return;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("resourceSpans");
            json.WriteStartObject();
            json.WriteStartObject("resource");
            WriteAttributes(json, (ParentProvider?.GetResource().Attributes ?? []).Select(a => new KeyValuePair<string, object?>(a.Key, a.Value)));
            json.WriteEndObject();
            json.WriteStartArray("scopeSpans");
            foreach (var scope in _pending.GroupBy(a => a.Source.Name))
            {
                json.WriteStartObject();
                json.WriteStartObject("scope");
                json.WriteString("name", scope.Key);
                if (scope.First().Source.Version is { } version) json.WriteString("version", version);
                json.WriteEndObject();
                json.WriteStartArray("spans");
                foreach (var activity in scope) WriteSpan(json, activity);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }
        _writer.WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        _pending.Clear();
    }

    private static void WriteSpan(Utf8JsonWriter json, Activity activity)
    {
        json.WriteStartObject();
        json.WriteString("traceId", activity.TraceId.ToHexString());
        json.WriteString("spanId", activity.SpanId.ToHexString());
        if (activity.ParentSpanId != default) json.WriteString("parentSpanId", activity.ParentSpanId.ToHexString());
        if (!string.IsNullOrEmpty(activity.TraceStateString)) json.WriteString("traceState", activity.TraceStateString);
        json.WriteString("name", activity.DisplayName);
        json.WriteNumber("kind", (int)activity.Kind + 1);
        json.WriteString("startTimeUnixNano", UnixNanoseconds(activity.StartTimeUtc));
        json.WriteString("endTimeUnixNano", UnixNanoseconds(activity.StartTimeUtc + activity.Duration));
        WriteAttributes(json, activity.TagObjects);
        json.WriteStartArray("events");
        foreach (var e in activity.Events)
        {
            json.WriteStartObject();
            json.WriteString("timeUnixNano", UnixNanoseconds(e.Timestamp.UtcDateTime));
            json.WriteString("name", e.Name);
            WriteAttributes(json, e.Tags);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        if (activity.Status != ActivityStatusCode.Unset)
        {
            json.WriteStartObject("status");
            // OTLP's codes: 1 ok, 2 error; Activity's: 1 ok, 2 error.
            json.WriteNumber("code", (int)activity.Status);
            if (activity.StatusDescription is { } description) json.WriteString("message", description);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    private static void WriteAttributes(Utf8JsonWriter json, IEnumerable<KeyValuePair<string, object?>> attributes)
    {
        json.WriteStartArray("attributes");
        foreach (var (key, value) in attributes)
        {
            if (value is null) continue;
            json.WriteStartObject();
            json.WriteString("key", key);
            json.WriteStartObject("value");
            switch (value)
            {
                case bool b: json.WriteBoolean("boolValue", b); break;
                case int or long or short or byte or ushort or uint: json.WriteString("intValue", Convert.ToInt64(value).ToString(System.Globalization.CultureInfo.InvariantCulture)); break;
                case double or float: json.WriteNumber("doubleValue", Convert.ToDouble(value)); break;
                default: json.WriteString("stringValue", Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)); break;
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static string UnixNanoseconds(DateTime utc) =>
        ((utc.Ticks - DateTime.UnixEpoch.Ticks) * 100).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
