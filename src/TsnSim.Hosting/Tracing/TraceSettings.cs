using System.Globalization;
using TsnSim.Core.Topology;
using TsnSim.Core.Tracing;

namespace TsnSim.Hosting.Tracing;

/// <summary>
/// How a process exports frame traces: to the console, over OTLP, to a directory of OTLP/JSON
/// files; which streams are traced instead of what the topology says; the wall-clock instant
/// of virtual time zero. Without <c>--trace</c>, OTLP is on when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
/// is set (as compose sets it) and off otherwise.
/// </summary>
public sealed record TraceSettings(bool Console, bool Otlp, string? Directory, IReadOnlyList<string>? Streams, DateTime? Epoch)
{
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public static readonly TraceSettings None = new(false, false, null, null, null);

    /// <summary>True when spans go anywhere at all.</summary>
    public bool Exports => Console || Otlp || Directory is not null;

    /// <param name="exporters">--trace: a comma-separated list of console, otlp, none.</param>
    /// <param name="directory">--trace-dir.</param>
    /// <param name="streams">--trace-streams: NAME,… or all (or none).</param>
    /// <param name="epoch">--trace-epoch: an ISO 8601 instant, or now.</param>
    public static TraceSettings Parse(string? exporters, string? directory, string? streams, string? epoch)
    {
        bool console = false, otlp = false;
        if (exporters is null)
            otlp = Environment.GetEnvironmentVariable(OtlpEndpointVariable) is { Length: > 0 };
        else
        {
            foreach (var name in exporters.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                switch (name)
                {
                    case "console": console = true; break;
                    case "otlp": otlp = true; break;
                    case "none": break;
                    default:
                        throw new UserInputException($"--trace: unknown exporter '{name}'; expected console, otlp or none (several separated by commas), or --trace-dir DIR for OTLP/JSON files");
                }
            }
        }
        if (directory is { Length: 0 }) throw new UserInputException("--trace-dir: empty path; expected a directory for the OTLP/JSON trace files");
        return new TraceSettings(console, otlp, directory, ParseStreams(streams), ParseEpoch(epoch));
    }

    private static IReadOnlyList<string>? ParseStreams(string? text)
    {
        if (text is null) return null;
        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0) throw new UserInputException("--trace-streams: no stream named; expected NAME,NAME… , all, or none");
        return names.Length == 1 && names[0] == "none" ? [] : names;
    }

    private static DateTime? ParseEpoch(string? text)
    {
        if (text is null || text == "now") return null;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
            throw new UserInputException($"--trace-epoch: '{text}' is not an instant; expected ISO 8601 such as 2026-01-01T00:00:00Z, or now");
        // OTLP counts Unix nanoseconds in 64 bits, which end in 2262: leave room for the run itself.
        if (instant.UtcDateTime.Year is < 1970 or >= 2200)
            throw new UserInputException($"--trace-epoch: {instant.UtcDateTime:O} is out of range; expected an instant from 1970 to 2199 (OTLP times are Unix nanoseconds)");
        return instant.UtcDateTime;
    }

    /// <summary>
    /// Makes sure the trace directory can be written, before a run starts, so a mistake stops it
    /// with a clear message instead of failing a node process halfway.
    /// </summary>
    public void CheckDirectory()
    {
        if (Directory is not { } directory) return;
        try
        {
            System.IO.Directory.CreateDirectory(directory);
            var probe = Path.Combine(directory, $".tsnsim-probe-{Environment.ProcessId}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"--trace-dir: cannot write to {directory}: {e.Message}; expected a directory this process may create files in");
        }
    }

    /// <summary>The frames these settings trace in <paramref name="topology"/>.</summary>
    public FrameTraceSelection SelectionFor(TopologyConfig topology)
    {
        try
        {
            return FrameTraceSelection.For(topology, Streams);
        }
        catch (ArgumentException e)
        {
            throw new UserInputException($"--trace-streams: {e.Message}");
        }
    }
}
