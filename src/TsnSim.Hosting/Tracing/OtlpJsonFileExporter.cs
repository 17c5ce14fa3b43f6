using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Collections.Concurrent;
using OpenTelemetry;
using OpenTelemetry.Resources;

namespace TsnSim.Hosting.Tracing;

/// <summary>
/// Writes spans as OTLP/JSON lines, the format of the OpenTelemetry Collector's file exporter:
/// each line one <c>ExportTraceServiceRequest</c> (resourceSpans → scopeSpans → spans) in the
/// protobuf JSON mapping, trace and span ids in hex, 64-bit numbers as strings. The Collector's
/// otlpjsonfile receiver reads such files back. Spans are buffered and written a line per
/// <see cref="SpansPerLine"/> and at every flush, by a thread of its own, straight into the
/// file's buffer with no intermediate strings (a traced run writes a couple of kilobytes per span).
/// Disposing waits until every span handed over is in the file and the file is closed.
/// </summary>
public sealed class OtlpJsonFileExporter : BaseExporter<Activity>
{
    public const int SpansPerLine = 256;
    private static readonly JsonEncodedText Key = JsonEncodedText.Encode("key");
    private static readonly JsonEncodedText Value = JsonEncodedText.Encode("value");
    private static readonly JsonEncodedText Attributes = JsonEncodedText.Encode("attributes");
    private static readonly JsonEncodedText IntValue = JsonEncodedText.Encode("intValue");
    private static readonly JsonEncodedText StringValue = JsonEncodedText.Encode("stringValue");
    private static readonly JsonEncodedText DoubleValue = JsonEncodedText.Encode("doubleValue");
    private static readonly JsonEncodedText BoolValue = JsonEncodedText.Encode("boolValue");
    private static readonly JsonEncodedText TimeUnixNano = JsonEncodedText.Encode("timeUnixNano");
    private static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    /// <summary>Lines waiting for the writer at most: 16 × 256 spans held at worst.</summary>
    public const int QueuedLines = 16;

    private readonly FileStream _file;
    private readonly Utf8JsonWriter _json;
    private readonly object _gate = new();
    // Full lines go to a writer thread, so the simulation only collects spans while the other
    // core serialises them. The queue is bounded: when the writer falls behind, the simulation
    // waits for it, so memory stays bounded and no span is dropped.
    private readonly BlockingCollection<(List<Activity>? Spans, TaskCompletionSource? Flushed)> _lines = new(QueuedLines);
    private readonly Thread _writer;
    private List<Activity> _pending = new(SpansPerLine);
    private volatile Exception? _failure;

    public OtlpJsonFileExporter(string path)
    {
        Path = path;
        try
        {
            if (System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) is { } directory) Directory.CreateDirectory(directory);
            _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"--trace-dir: cannot write {path}: {e.Message}");
        }
        _json = new Utf8JsonWriter(_file, new JsonWriterOptions { SkipValidation = true });
        _writer = new Thread(WriteLines) { IsBackground = true, Name = "tsnsim OTLP/JSON writer" };
        _writer.Start();
    }

    public string Path { get; }

    public override ExportResult Export(in Batch<Activity> batch)
    {
        lock (_gate)
        {
            // Stopped activities do not change any more: holding them until the line is written is safe.
            foreach (var activity in batch) _pending.Add(activity);
            if (_pending.Count >= SpansPerLine) Hand();
        }
        return _failure is null ? ExportResult.Success : ExportResult.Failure;
    }

    protected override bool OnForceFlush(int timeoutMilliseconds)
    {
        // The writer answers the marker once every line before it is in the file.
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_lines.IsAddingCompleted) return _failure is null;
            Hand();
            _lines.Add((null, flushed));
        }
        return flushed.Task.Wait(timeoutMilliseconds < 0 ? Timeout.Infinite : timeoutMilliseconds) && _failure is null;
    }

    protected override bool OnShutdown(int timeoutMilliseconds)
    {
        lock (_gate)
        {
            if (!_lines.IsAddingCompleted)
            {
                Hand();
                _lines.CompleteAdding();
            }
        }
        return _writer.Join(timeoutMilliseconds < 0 ? Timeout.Infinite : timeoutMilliseconds) && _failure is null;
    }

    protected override void Dispose(bool disposing)
    {
        // Whatever the provider's shutdown timeout, the file is complete and closed before the exporter goes.
        if (disposing) OnShutdown(Timeout.Infinite);
        base.Dispose(disposing);
    }

    private void Hand()
    {
        if (_pending.Count == 0 || _lines.IsAddingCompleted) return;
        // Blocks while QueuedLines lines wait: the backpressure that keeps every span.
        _lines.Add((_pending, null));
        _pending = new List<Activity>(SpansPerLine);
    }

    private void WriteLines()
    {
        foreach (var (spans, flushed) in _lines.GetConsumingEnumerable())
        {
            try
            {
                if (_failure is null)
                {
                    if (spans is not null) WriteLine(spans);
                    if (flushed is not null) _file.Flush();
                }
            }
            catch (Exception e)
            {
                _failure = e;
                Console.Error.WriteLine($"tsnsim: --trace-dir: writing {Path} failed: {e.Message}; the spans from here on are lost");
            }
            // Answered whatever happened, so no flush ever waits on a writer that has stopped writing.
            flushed?.TrySetResult();
        }
        try
        {
            _json.Dispose();
            _file.Dispose();
        }
        catch (Exception e)
        {
            if (_failure is not null) return;
            _failure = e;
            Console.Error.WriteLine($"tsnsim: --trace-dir: closing {Path} failed: {e.Message}");
        }
    }

    private void WriteLine(List<Activity> pending)
    {
        var json = _json;
        json.WriteStartObject();
        json.WriteStartArray("resourceSpans");
        json.WriteStartObject();
        json.WriteStartObject("resource");
        json.WriteStartArray(Attributes);
        foreach (var (key, value) in ParentProvider?.GetResource().Attributes ?? []) WriteAttribute(json, key, value);
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteStartArray("scopeSpans");
        // Spans of one source are consecutive in the line; each run of them is one scope.
        for (int i = 0; i < pending.Count;)
        {
            var source = pending[i].Source;
            json.WriteStartObject();
            json.WriteStartObject("scope");
            json.WriteString(Name, source.Name);
            if (source.Version is { } version) json.WriteString("version", version);
            json.WriteEndObject();
            json.WriteStartArray("spans");
            for (; i < pending.Count && pending[i].Source == source; i++) WriteSpan(json, pending[i]);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        json.Reset();
        _file.Write(NewLine);
    }

    private static void WriteSpan(Utf8JsonWriter json, Activity activity)
    {
        Span<byte> id = stackalloc byte[16];
        Span<char> hex = stackalloc char[32];
        json.WriteStartObject();
        activity.TraceId.CopyTo(id);
        Convert.TryToHexStringLower(id, hex, out _);
        json.WriteString("traceId", hex);
        activity.SpanId.CopyTo(id[..8]);
        Convert.TryToHexStringLower(id[..8], hex, out _);
        json.WriteString("spanId", hex[..16]);
        if (activity.ParentSpanId != default)
        {
            activity.ParentSpanId.CopyTo(id[..8]);
            Convert.TryToHexStringLower(id[..8], hex, out _);
            json.WriteString("parentSpanId", hex[..16]);
        }
        if (!string.IsNullOrEmpty(activity.TraceStateString)) json.WriteString("traceState", activity.TraceStateString);
        json.WriteString(Name, activity.DisplayName);
        // OTLP's SpanKind counts from UNSPECIFIED = 0; ActivityKind from Internal = 0.
        json.WriteNumber("kind", (int)activity.Kind + 1);
        WriteNanoseconds(json, "startTimeUnixNano", activity.StartTimeUtc);
        WriteNanoseconds(json, "endTimeUnixNano", activity.StartTimeUtc + activity.Duration);
        json.WriteStartArray(Attributes);
        foreach (ref readonly var tag in activity.EnumerateTagObjects()) WriteAttribute(json, tag.Key, tag.Value);
        json.WriteEndArray();
        json.WriteStartArray("events");
        foreach (ref readonly var e in activity.EnumerateEvents())
        {
            json.WriteStartObject();
            WriteNanoseconds(json, TimeUnixNano, e.Timestamp.UtcDateTime);
            json.WriteString(Name, e.Name);
            json.WriteStartArray(Attributes);
            foreach (ref readonly var tag in e.EnumerateTagObjects()) WriteAttribute(json, tag.Key, tag.Value);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        if (activity.Status != ActivityStatusCode.Unset)
        {
            json.WriteStartObject("status");
            // The codes agree: 1 ok, 2 error, in OTLP and in ActivityStatusCode.
            json.WriteNumber("code", (int)activity.Status);
            if (activity.StatusDescription is { } description) json.WriteString("message", description);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    private static void WriteAttribute(Utf8JsonWriter json, string key, object? value)
    {
        if (value is null) return;
        json.WriteStartObject();
        json.WriteString(Key, key);
        json.WriteStartObject(Value);
        switch (value)
        {
            case string text: json.WriteString(StringValue, text); break;
            case long l: WriteInteger(json, l); break;
            case int i: WriteInteger(json, i); break;
            case bool b: json.WriteBoolean(BoolValue, b); break;
            case byte or short or ushort or uint: WriteInteger(json, Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
            case double or float: json.WriteNumber(DoubleValue, Convert.ToDouble(value, CultureInfo.InvariantCulture)); break;
            default: json.WriteString(StringValue, Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>int64 values are strings in the protobuf JSON mapping.</summary>
    private static void WriteInteger(Utf8JsonWriter json, long value)
    {
        Span<char> digits = stackalloc char[20];
        value.TryFormat(digits, out int written, default, CultureInfo.InvariantCulture);
        json.WriteString(IntValue, digits[..written]);
    }

    private static void WriteNanoseconds(Utf8JsonWriter json, JsonEncodedText name, DateTime utc)
    {
        Span<char> digits = stackalloc char[20];
        ((utc.Ticks - DateTime.UnixEpoch.Ticks) * 100).TryFormat(digits, out int written, default, CultureInfo.InvariantCulture);
        json.WriteString(name, digits[..written]);
    }

    private static void WriteNanoseconds(Utf8JsonWriter json, string name, DateTime utc) => WriteNanoseconds(json, JsonEncodedText.Encode(name), utc);
}
