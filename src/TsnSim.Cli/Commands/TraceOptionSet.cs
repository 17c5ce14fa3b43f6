using System.CommandLine;
using TsnSim.Hosting.Tracing;

namespace TsnSim.Cli.Commands;

/// <summary>The frame-tracing options <c>run</c> and <c>up</c> share, and the settings they make.</summary>
public sealed class TraceOptionSet
{
    public Option<string?> Exporters { get; } = new("--trace")
    {
        Description = "Export frame traces: console, otlp (OTEL_EXPORTER_OTLP_ENDPOINT, _PROTOCOL), none; default otlp when OTEL_EXPORTER_OTLP_ENDPOINT is set",
    };

    public Option<string?> Directory { get; } = new("--trace-dir") { Description = "Write frame traces as OTLP/JSON lines here, one file per process (read them with tsnsim trace)" };
    public Option<string?> Streams { get; } = new("--trace-streams") { Description = "Trace these streams' every frame instead of what the topology says: NAME,… | all | none" };
    public Option<string?> Epoch { get; } = new("--trace-epoch") { Description = "Wall-clock instant of virtual time zero in span times, ISO 8601 (default: when the run starts)" };

    public void AddTo(Command command)
    {
        command.Options.Add(Exporters);
        command.Options.Add(Directory);
        command.Options.Add(Streams);
        command.Options.Add(Epoch);
    }

    public TraceSettings Settings(ParseResult parse) =>
        TraceSettings.Parse(parse.GetValue(Exporters), parse.GetValue(Directory), parse.GetValue(Streams), parse.GetValue(Epoch));
}
