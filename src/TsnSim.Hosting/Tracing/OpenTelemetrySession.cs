using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using TsnSim.Core.Simulation;
using TsnSim.Core.Telemetry;
using TsnSim.Core.Topology;
using TsnSim.Core.Tracing;

namespace TsnSim.Hosting.Tracing;

/// <summary>
/// One process's OpenTelemetry export: frame traces (tracer provider with the exporters asked
/// for, and the <see cref="IFrameTracer"/> to hand the model) and simulation metrics (console and
/// OTLP only). Disposing flushes every exporter, so a finished run's spans and last metrics are
/// out before the process exits.
/// </summary>
public sealed class OpenTelemetrySession : IDisposable
{
    private readonly TracerProvider? _traces;
    private readonly MeterProvider? _metricsProvider;
    private readonly SimulationMetrics? _metrics;

    private OpenTelemetrySession(TracerProvider? traces, IFrameTracer? tracer, string? file, MeterProvider? metricsProvider, SimulationMetrics? metrics)
    {
        _traces = traces;
        Tracer = tracer;
        TraceFile = file;
        _metricsProvider = metricsProvider;
        _metrics = metrics;
    }

    /// <summary>What the model reports traced frames to; null when nothing is traced or exported.</summary>
    public IFrameTracer? Tracer { get; }

    /// <summary>What the model reports deliveries to, for the latency metric; null without a metrics exporter.</summary>
    public IDeliveryObserver? Deliveries => _metrics;

    /// <summary>The OTLP/JSON file this process writes, with --trace-dir.</summary>
    public string? TraceFile { get; }

    /// <summary>Lets the port metrics read <paramref name="partition"/>'s ports.</summary>
    public void Observe(Partition partition) => _metrics?.Observe(partition);

    /// <param name="processName">Names the trace file (PROCESS.jsonl) and, unless OTEL_SERVICE_NAME says otherwise, the service.</param>
    /// <param name="runId">The run's id, a resource attribute, so spans of different runs are never taken for one.</param>
    public static OpenTelemetrySession Start(TraceSettings settings, TopologyConfig topology, string processName, string runId, DateTime epochUtc)
    {
        var selection = settings.SelectionFor(topology);
        var resource = ResourceBuilder.CreateDefault();
        // OTEL_SERVICE_NAME, when set, is the user's choice and the default resource already holds it.
        if (Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME") is not { Length: > 0 })
            resource.AddService(processName == "run" ? "tsnsim" : $"tsnsim-{processName}");
        resource.AddAttributes([new("tsnsim.topology", topology.Name), new("tsnsim.process", processName), new(TraceAttributes.RunId, runId)]);

        SimulationMetrics? metrics = null;
        MeterProvider? meterProvider = null;
        if (settings.Console || settings.Otlp)
        {
            metrics = new SimulationMetrics(topology);
            var builder = Sdk.CreateMeterProviderBuilder().SetResourceBuilder(resource).AddMeter(SimulationMetrics.MeterName);
            if (settings.Console) builder.AddConsoleExporter();
            if (settings.Otlp) builder.AddOtlpExporter((_, reader) => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 5000);
            meterProvider = builder.Build();
        }

        TracerProvider? tracerProvider = null;
        FrameActivityTracer? tracer = null;
        string? file = null;
        if (settings.Exports && !selection.IsEmpty)
        {
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
            if (settings.Directory is { } directory)
            {
                file = Path.Combine(directory, $"{processName}.jsonl");
                // Synchronous, so no span is ever dropped; the exporter itself writes in lines of many spans.
                builder.AddProcessor(new SimpleActivityExportProcessor(new OtlpJsonFileExporter(file)));
            }
            tracerProvider = builder.Build();
            tracer = new FrameActivityTracer(topology, selection, epochUtc, metrics);
        }
        return new OpenTelemetrySession(tracerProvider, tracer, file, meterProvider, metrics);
    }

    /// <summary>Flushes and closes every exporter: spans and metrics are all out when it returns. Idempotent.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        // The provider's own shutdown waits 5 s at most; a long traced run may need longer to write its files.
        _traces?.ForceFlush(Timeout.Infinite);
        _traces?.Dispose();
        _metricsProvider?.Dispose();
        _metrics?.Dispose();
    }

    private bool _disposed;
}
