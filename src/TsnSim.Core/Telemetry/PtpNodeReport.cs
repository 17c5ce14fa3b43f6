using System.Text.Json.Serialization;

namespace TsnSim.Core.Telemetry;

/// <summary>
/// One node's line of the report's <c>ptp</c> section. The time error is the node's PHC minus the
/// grandmaster's PHC at the same true instant, sampled every sync interval; the figures cover
/// the samples from 2 s after the node's servo first locked (the grandmaster: the whole run).
/// </summary>
public sealed record PtpNodeReport(
    [property: JsonPropertyName("node")] string Node,
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("max_abs_offset_ns")] double? MaxAbsOffsetNs,
    [property: JsonPropertyName("rms_offset_ns")] double? RmsOffsetNs,
    [property: JsonPropertyName("converged_at_ns")] double? ConvergedAtNs,
    [property: JsonPropertyName("samples")] int Samples);
