using TsnSim.Core.Clocks;
using TsnSim.Core.Time;

namespace TsnSim.Core.Topology.Internal;

/// <summary>
/// Reads a node's <c>clock:</c> (its oscillator and PHC) and <c>timestamps:</c> (its NIC's
/// timestamp unit), in a node or under <c>defaults:</c>; each field given replaces the inherited one.
/// </summary>
internal static class ClockSectionReader
{
    private const string ClockExpectation = "a mapping with any of ppm (a number, or [min, max] to draw from), wander (ppm/s), wander_bound (ppm), max_adj (ppb)";
    private const string TimestampsExpectation = "a mapping with any of granularity, tx_latency, rx_latency, noise (durations)";

    /// <summary>Crystals are specified to a few hundred ppm at worst; beyond 1000 ppm it is not an Ethernet clock.</summary>
    private const double MaximumPpm = 1000;

    public static ClockConfig ReadClock(SourceNode node, string path, ClockConfig inherited, ValueReader values)
    {
        var mapping = values.Mapping(node, path, ClockExpectation);
        if (mapping is null) return inherited;
        var fields = MappingFields.Check(mapping, path, TopologyFields.Clock, values.Diagnostics);
        var oscillator = inherited.Oscillator;
        if (fields["ppm"] is { } ppmNode)
        {
            if (ppmNode is SequenceSourceNode range)
            {
                if (range.Items.Count != 2)
                    values.Diagnostics.Error(range, fields.PathOf("ppm"), $"expected [min, max], two numbers, found {range.Items.Count} items");
                else if (values.Number(range.Items[0], $"{fields.PathOf("ppm")}[0]", -MaximumPpm, MaximumPpm, "the least frequency offset in ppm") is { } min
                    && values.Number(range.Items[1], $"{fields.PathOf("ppm")}[1]", -MaximumPpm, MaximumPpm, "the greatest frequency offset in ppm") is { } max)
                {
                    if (min > max) values.Diagnostics.Error(range, fields.PathOf("ppm"), $"[{min}, {max}] is empty; expected [min, max] with min ≤ max");
                    else oscillator = oscillator with { MinPpm = min, MaxPpm = max };
                }
            }
            else if (values.Number(ppmNode, fields.PathOf("ppm"), -MaximumPpm, MaximumPpm, "the frequency offset in ppm") is { } ppm)
                oscillator = oscillator with { MinPpm = ppm, MaxPpm = ppm };
        }
        bool boundGiven = false;
        if (fields["wander"] is { } wanderNode && values.Number(wanderNode, fields.PathOf("wander"), 0, 100, "the wander rate in ppm/s") is { } wander)
            oscillator = oscillator with { WanderPpmPerSecond = wander };
        if (fields["wander_bound"] is { } boundNode && values.Number(boundNode, fields.PathOf("wander_bound"), 0, MaximumPpm, "how far the wander may stray, in ppm") is { } bound)
        {
            oscillator = oscillator with { WanderBoundPpm = bound };
            boundGiven = true;
        }
        if (!boundGiven && fields["wander"] is not null)
            oscillator = oscillator with { WanderBoundPpm = oscillator.WanderPpmPerSecond * OscillatorConfig.DefaultBoundSeconds };
        double maxAdjustment = inherited.MaxAdjustmentPpb;
        if (fields["max_adj"] is { } adjNode && values.Number(adjNode, fields.PathOf("max_adj"), 1, 1e9, "the PHC's largest frequency adjustment in ppb") is { } adj)
            maxAdjustment = adj;
        return new ClockConfig(oscillator, maxAdjustment);
    }

    public static TimestampConfig ReadTimestamps(SourceNode node, string path, TimestampConfig inherited, ValueReader values)
    {
        var mapping = values.Mapping(node, path, TimestampsExpectation);
        if (mapping is null) return inherited;
        var fields = MappingFields.Check(mapping, path, TopologyFields.Timestamps, values.Diagnostics);
        SimTime Duration(string field, SimTime current) =>
            fields[field] is { } n && values.Duration(n, fields.PathOf(field), allowZero: true) is { } value ? value : current;
        return new TimestampConfig(
            Duration("granularity", inherited.Granularity),
            Duration("tx_latency", inherited.TxLatency),
            Duration("rx_latency", inherited.RxLatency),
            Duration("noise", inherited.Noise));
    }
}
