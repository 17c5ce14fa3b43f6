using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using TsnSim.Core.Topology;
using TsnSim.Core.Tracing;

namespace TsnSim.Hosting.Tracing;

/// <summary>
/// One process's frame tracing: the OpenTelemetry tracer provider with the exporters asked for,
/// and the <see cref="IFrameTracer"/> to hand the model. Disposing flushes every exporter, so
/// the spans of a finished run are all out before the process exits.
/// </summary>
public sealed class TraceSession : IDisposable
{
    private readonly TracerProvider? _provider;

    private TraceSession(TracerProvider? provider, IFrameTracer? tracer, string? file)
    {
        _provider = provider;
        Tracer = tracer;
        TraceFile = file;
    }

    /// <summary>What the model reports traced frames to; null when nothing is traced or exported.</summary>
    public IFrameTracer? Tracer { get; }

    /// <summary>The OTLP/JSON file this process writes, with --trace-dir.</summary>
    public string? TraceFile { get; }

    /// <param name="processName">Names the trace file (PROCESS.jsonl) and, unless OTEL_SERVICE_NAME says otherwise, the service.</param>
    public static TraceSession Start(TraceSettings settings, TopologyConfig topology, string processName, DateTime epochUtc)
    {
        var selection = settings.SelectionFor(topology);
        if (!settings.Exports || selection.IsEmpty) return new TraceSession(null, null, null);
        var resource = ResourceBuilder.CreateDefault();
        // OTEL_SERVICE_NAME, when set, is the user's choice and the default resource already holds it.
        if (Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME") is not { Length: > 0 })
            resource.AddService(processName == "run" ? "tsnsim" : $"tsnsim-{processName}");
        resource.AddAttributes([new("tsnsim.topology", topology.Name), new("tsnsim.process", processName)]);
        var builder = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .SetSampler(new AlwaysOnSampler())
            .AddSource(FrameActivityTracer.SourceName);
        if (settings.Console) builder.AddConsoleExporter();
        if (settings.Otlp)
            builder.AddOtlpExporter(o =>
            {
                // A simulation makes spans faster than a collector takes them: queue generously rather than drop.
                o.BatchExportProcessorOptions.MaxQueueSize = 1 << 16;
                o.BatchExportProcessorOptions.MaxExportBatchSize = 4096;
            });
        string? file = null;
        if (settings.Directory is { } directory)
        {
            file = Path.Combine(directory, $"{processName}.jsonl");
            // Synchronous, so no span is ever dropped; the exporter itself writes in lines of many spans.
            builder.AddProcessor(new SimpleActivityExportProcessor(new OtlpJsonFileExporter(file)));
        }
        var provider = builder.Build();
        return new TraceSession(provider, new FrameActivityTracer(topology, selection, epochUtc), file);
    }

    public void Dispose() => _provider?.Dispose();
}
