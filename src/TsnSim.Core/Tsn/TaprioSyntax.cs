using System.Globalization;
using TsnSim.Core.Time;

namespace TsnSim.Core.Tsn;

/// <summary>
/// Reads tc-taprio's (and tc-mqprio's) command line verbatim: an optional
/// <c>tc qdisc … taprio</c> prefix, then <c>num_tc</c>, <c>map</c>, <c>queues</c>,
/// <c>base-time</c>, <c>cycle-time</c>, <c>cycle-time-extension</c> and <c>sched-entry</c>
/// (times in ns, masks in hex), with <c>clockid</c>, <c>flags</c> and <c>txtime-delay</c>
/// accepted and left aside (the schedule always runs on the node's PHC). Errors name the
/// offending word and its offset in the text.
/// </summary>
public static class TaprioSyntax
{
    /// <summary>An error at character <paramref name="Offset"/> of the text.</summary>
    public readonly record struct Error(int Offset, string Message);

    /// <summary>What the text sets; absent parts are null, for the caller to default or reject.</summary>
    public sealed record Parsed(int? NumTrafficClasses, byte[]? Map, (int Count, int Offset)[]? Queues, long? BaseTimeNs, long? CycleTimeNs, long? CycleTimeExtensionNs,
        IReadOnlyList<(char Command, ushort Gates, long IntervalNs, int Offset)> Entries);

    public static Parsed Parse(string text, List<Error> errors)
    {
        var words = Words(text);
        int i = 0;
        // "tc qdisc replace dev eth0 parent root handle 100 taprio …": what comes before the qdisc's name says where, not what.
        int qdisc = words.FindIndex(w => w.Text is "taprio" or "mqprio");
        if (qdisc >= 0) i = qdisc + 1;
        int? numTc = null;
        byte[]? map = null;
        (int, int)[]? queues = null;
        long? baseTime = null, cycleTime = null, extension = null;
        var entries = new List<(char, ushort, long, int)>();
        while (i < words.Count)
        {
            var (word, at) = words[i++];
            switch (word)
            {
                case "num_tc":
                    numTc = (int?)Number(16);
                    break;
                case "map":
                    var values = new List<byte>();
                    while (values.Count < 16 && i < words.Count && byte.TryParse(words[i].Text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v < 16)
                    {
                        values.Add(v);
                        i++;
                    }
                    if (values.Count == 0) errors.Add(new Error(at, "map needs up to 16 traffic classes, one per priority 0 … 15, such as map 2 2 1 0 2 2 2 2 2 2 2 2 2 2 2 2"));
                    map = [.. values, .. new byte[16 - values.Count]];
                    break;
                case "queues":
                    var list = new List<(int, int)>();
                    while (i < words.Count && words[i].Text.Split('@') is [var c, var o]
                        && int.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && int.TryParse(o, NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
                    {
                        list.Add((count, offset));
                        i++;
                    }
                    if (list.Count == 0) errors.Add(new Error(at, "queues needs count@offset for each traffic class, such as queues 1@0 1@1 2@2"));
                    queues = [.. list];
                    break;
                case "base-time":
                    baseTime = Number(long.MaxValue);
                    break;
                case "cycle-time":
                    cycleTime = Number(long.MaxValue);
                    break;
                case "cycle-time-extension":
                    extension = Number(long.MaxValue);
                    break;
                case "sched-entry":
                    if (i + 3 > words.Count)
                    {
                        errors.Add(new Error(at, "sched-entry needs a command (S, H or R), a gate mask in hex and an interval in ns, such as sched-entry S 01 300000"));
                        i = words.Count;
                        break;
                    }
                    var (command, commandAt) = words[i];
                    var (mask, maskAt) = words[i + 1];
                    var (interval, intervalAt) = words[i + 2];
                    i += 3;
                    if (command is not ("S" or "H" or "R")) errors.Add(new Error(commandAt, $"'{command}' is not a gate command; expected S (set gates), H (set and hold) or R (set and release)"));
                    if (!ushort.TryParse(mask.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? mask[2..] : mask, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var gates))
                        errors.Add(new Error(maskAt, $"'{mask}' is not a gate mask; expected hex digits (bit i opens traffic class i), such as 01 or 0x3"));
                    if (!long.TryParse(interval, NumberStyles.None, CultureInfo.InvariantCulture, out var ns) || ns == 0)
                        errors.Add(new Error(intervalAt, $"'{interval}' is not an interval; expected a positive whole number of nanoseconds"));
                    entries.Add((command.Length == 1 ? command[0] : '?', gates, ns, at));
                    break;
                case "clockid" or "flags" or "txtime-delay" or "fp" or "max-sdu" or "hw" or "mode" or "shaper":
                    i++;
                    break;
                default:
                    errors.Add(new Error(at, $"unknown word '{word}'; expected num_tc, map, queues, base-time, cycle-time, cycle-time-extension, sched-entry, clockid or flags"));
                    // What follows a misspelt keyword is its arguments: one error, not one per word.
                    while (i < words.Count && !Keywords.Contains(words[i].Text)) i++;
                    break;
            }

            long? Number(long maximum)
            {
                if (i < words.Count && long.TryParse(words[i].Text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= maximum)
                {
                    i++;
                    return n;
                }
                errors.Add(new Error(i < words.Count ? words[i].Offset : text.Length, $"{word} needs a whole number{(maximum == 16 ? " from 1 to 16" : " of nanoseconds")}"));
                return null;
            }
        }
        return new Parsed(numTc, map, queues, baseTime, cycleTime, extension, entries);
    }

    private static readonly HashSet<string> Keywords =
        ["num_tc", "map", "queues", "base-time", "cycle-time", "cycle-time-extension", "sched-entry", "clockid", "flags", "txtime-delay", "fp", "max-sdu", "hw", "mode", "shaper"];

    private static List<(string Text, int Offset)> Words(string text)
    {
        var words = new List<(string, int)>();
        int i = 0;
        while (i < text.Length)
        {
            // Shell line continuations and line breaks separate words like spaces.
            while (i < text.Length && (char.IsWhiteSpace(text[i]) || text[i] == '\\')) i++;
            int start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] != '\\') i++;
            if (i > start) words.Add((text[start..i], start));
        }
        return words;
    }

    /// <summary>
    /// The gate control list the words give (they must hold at least one entry): the cycle
    /// defaults to the sum of the intervals, the base time to 0. A TAI base time (ns since 1970)
    /// is beyond the simulation's range: what matters is its phase in the cycle, which the list
    /// keeps; <paramref name="outOfRangeBaseNs"/> then gives the base time as written.
    /// </summary>
    public static GateControlList ScheduleOf(Parsed parsed, out long? outOfRangeBaseNs)
    {
        var entries = parsed.Entries.Select(e => new GateControlEntry(e.Command, e.Gates, SimTime.FromNanoseconds(e.IntervalNs))).ToList();
        long cycleNs = parsed.CycleTimeNs ?? parsed.Entries.Sum(e => e.IntervalNs);
        long baseNs = parsed.BaseTimeNs ?? 0;
        outOfRangeBaseNs = Nanoseconds(baseNs) is null ? baseNs : null;
        if (outOfRangeBaseNs is not null) baseNs %= cycleNs;
        return new GateControlList(SimTime.FromNanoseconds(baseNs), SimTime.FromNanoseconds(cycleNs), entries)
        {
            CycleTimeExtension = SimTime.FromNanoseconds(parsed.CycleTimeExtensionNs ?? 0),
        };
    }

    /// <summary>Nanoseconds as a time; null when beyond what the simulation counts (about 106 days).</summary>
    public static SimTime? Nanoseconds(long ns) => ns <= long.MaxValue / 1000 ? SimTime.FromNanoseconds(ns) : null;
}
