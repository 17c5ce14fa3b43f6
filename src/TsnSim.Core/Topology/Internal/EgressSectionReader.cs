using TsnSim.Core.Time;
using TsnSim.Core.Tsn;

namespace TsnSim.Core.Topology.Internal;

/// <summary>
/// Reads a port's (or a node's, for all its ports) <c>egress:</c>: tc-taprio's command line
/// verbatim (<c>taprio: "num_tc 3 map … sched-entry S 01 300000 …"</c>), or the same settings
/// as YAML (<c>num_tc</c>, <c>map</c>, <c>queues</c>, <c>schedule</c> with <c>base_time</c>,
/// <c>cycle_time</c>, <c>cycle_time_extension</c>, <c>max_entries</c> and <c>entries</c>, each
/// entry tc's <c>"S 01 300000"</c> or <c>{ command, gates, interval }</c>).
/// </summary>
internal static class EgressSectionReader
{
    private const string Expectation = "a mapping with taprio (tc's command line), or num_tc, map, queues and schedule";

    public static EgressConfig? Read(SourceNode node, string path, ValueReader values)
    {
        var mapping = values.Mapping(node, path, Expectation);
        if (mapping is null) return null;
        var fields = MappingFields.Check(mapping, path, TopologyFields.Egress, values.Diagnostics);
        if (fields["taprio"] is { } taprioNode)
        {
            foreach (var other in new[] { "num_tc", "map", "queues", "schedule" })
                if (fields[other] is { } both) values.Diagnostics.Error(both, fields.PathOf(other), $"{other} and taprio both set the classes; give either tc's command line or the YAML fields");
            return ReadTaprio(taprioNode, fields.PathOf("taprio"), values) is { } fromTc ? WithExtras(fromTc, fields, values) : null;
        }
        int? numTc = fields["num_tc"] is { } n ? (int?)values.Integer(n, fields.PathOf("num_tc"), 1, 16, "a number of traffic classes from 1 to 16") : null;
        if (numTc is null)
        {
            if (fields["num_tc"] is null) values.Diagnostics.Error(mapping, path, "num_tc is missing; expected the number of traffic classes (1 to 16), or taprio with tc's command line");
            return null;
        }
        byte[]? map = null;
        if (fields["map"] is { } mapNode && values.Sequence(mapNode, fields.PathOf("map"), "a list of up to 16 traffic classes, one per priority 0 … 15") is { } list)
        {
            map = new byte[16];
            if (list.Items.Count > 16) values.Diagnostics.Error(list, fields.PathOf("map"), $"{list.Items.Count} entries; expected at most 16, one per priority 0 … 15");
            for (int i = 0; i < Math.Min(16, list.Items.Count); i++)
                if (values.Integer(list.Items[i], $"{fields.PathOf("map")}[{i}]", 0, 15, "a traffic class") is { } tc) map[i] = (byte)tc;
        }
        (int, int)[]? queues = null;
        if (fields["queues"] is { } queuesNode && values.Sequence(queuesNode, fields.PathOf("queues"), "a list of count@offset, one per traffic class, such as [1@0, 1@1]") is { } qList)
        {
            queues = new (int, int)[qList.Items.Count];
            for (int i = 0; i < qList.Items.Count; i++)
            {
                var itemPath = $"{fields.PathOf("queues")}[{i}]";
                if (values.Text(qList.Items[i], itemPath, "count@offset such as 1@0") is { } text && text.Split('@') is [var c, var o]
                    && int.TryParse(c, out var count) && int.TryParse(o, out var offset) && count >= 1 && offset >= 0)
                    queues[i] = (count, offset);
                else values.Diagnostics.Error(qList.Items[i], itemPath, "expected count@offset (Tx queues of this class and the first of them), such as 1@0");
            }
        }
        GateControlList? schedule = null;
        int maxEntries = 1024;
        if (fields["schedule"] is { } scheduleNode) (schedule, maxEntries) = ReadSchedule(scheduleNode, fields.PathOf("schedule"), values);
        return Build(numTc.Value, map, queues, schedule, maxEntries, mapping, path, values) is { } config ? WithExtras(config, fields, values) : null;
    }

    /// <summary>What both forms may add to the classes: shapers and later schedules.</summary>
    private static EgressConfig WithExtras(EgressConfig config, MappingFields fields, ValueReader values) => config with
    {
        Shapers = ReadShapers(fields, config.NumTrafficClasses, values),
        Etf = ReadEtf(fields, config.NumTrafficClasses, values),
        ScheduleChanges = ReadScheduleChanges(fields, config, values),
    };

    /// <summary>
    /// <c>schedule_changes:</c>, a list of <c>{ at, taprio | schedule }</c>: a new gate control
    /// list installed at true time <c>at</c> (taprio's admin schedule), as tc's words without
    /// the classes (base-time, cycle-time, cycle-time-extension, sched-entry) or as <c>schedule</c>'s YAML.
    /// </summary>
    private static IReadOnlyList<GateScheduleChange> ReadScheduleChanges(MappingFields fields, EgressConfig config, ValueReader values)
    {
        var changes = new List<GateScheduleChange>();
        const string expectation = "a list of { at, taprio } or { at, schedule }, each a gate schedule installed at that time";
        if (fields["schedule_changes"] is not { } node || values.Sequence(node, fields.PathOf("schedule_changes"), expectation) is not { } list) return changes;
        for (int i = 0; i < list.Items.Count; i++)
        {
            var path = $"{fields.PathOf("schedule_changes")}[{i}]";
            if (values.Mapping(list.Items[i], path, "{ at, taprio } or { at, schedule }") is not { } mapping) continue;
            var f = MappingFields.Check(mapping, path, TopologyFields.ScheduleChange, values.Diagnostics);
            var at = values.Required(f, "at", "when the schedule is installed, such as 2s") is { } atNode ? values.Duration(atNode, f.PathOf("at"), allowZero: true) : null;
            GateControlList? schedule = null;
            SourceNode where = mapping;
            if (f["taprio"] is { } taprio)
            {
                where = taprio;
                if (f["schedule"] is { } both) values.Diagnostics.Error(both, f.PathOf("schedule"), "schedule and taprio both give the new schedule; give either tc's words or the YAML fields");
                schedule = ReadTaprioSchedule(taprio, f.PathOf("taprio"), values);
            }
            else if (f["schedule"] is { } yaml)
            {
                where = yaml;
                schedule = ReadSchedule(yaml, f.PathOf("schedule"), values).Schedule;
            }
            else values.Diagnostics.Error(mapping, path, "the new schedule is missing; expected taprio (tc's base-time, cycle-time, sched-entry words) or schedule");
            if (schedule is null || at is null || !CheckSchedule(schedule, config.NumTrafficClasses, config.MaxEntries, where, path, values)) continue;
            changes.Add(new GateScheduleChange(at.Value, schedule));
        }
        return changes;
    }

    /// <summary>A schedule change as tc's words: only the schedule, since a change keeps the port's classes.</summary>
    private static GateControlList? ReadTaprioSchedule(SourceNode node, string path, ValueReader values)
    {
        if (values.Text(node, path, "tc's taprio schedule, such as \"base-time 2000000000 sched-entry S 01 300000 sched-entry S 02 200000\"") is not { } text) return null;
        var errors = new List<TaprioSyntax.Error>();
        var parsed = TaprioSyntax.Parse(text, errors);
        foreach (var error in errors) values.Diagnostics.Error(node, path, $"at character {error.Offset + 1}: {error.Message}");
        if (parsed.NumTrafficClasses is not null || parsed.Map is not null || parsed.Queues is not null)
        {
            values.Diagnostics.Error(node, path, "a schedule change keeps the port's classes (as taprio's change does); expected only base-time, cycle-time, cycle-time-extension and sched-entry");
            return null;
        }
        if (parsed.Entries.Count == 0)
        {
            if (errors.Count == 0) values.Diagnostics.Error(node, path, "no sched-entry; expected at least one gate entry, such as sched-entry S 01 300000");
            return null;
        }
        return errors.Count > 0 ? null : ScheduleOf(parsed, node, path, values);
    }
    /// <summary>
    /// <c>cbs:</c>, by traffic class: tc-cbs's words (<c>"idleslope 20000 sendslope -980000 hicredit 30 locredit -1470"</c>)
    /// or a mapping with idleslope, sendslope (kbit/s), hicredit, locredit (bytes).
    /// </summary>
    private static Dictionary<int, CreditBasedShaperConfig> ReadShapers(MappingFields fields, int numTc, ValueReader values) =>
        PerClass(fields, "cbs", "tc-cbs parameters, such as { 1: \"idleslope 20000 sendslope -980000 hicredit 30 locredit -1470\" }", numTc, values, (node, path) =>
        {
            CreditBasedShaperConfig? cbs = null;
            if (node is ScalarSourceNode scalar) cbs = Words(scalar, path, values, CbsSyntax.Parse);
            else if (values.Mapping(node, path, "tc-cbs's words or a mapping with idleslope, sendslope, hicredit, locredit") is { } m)
            {
                var f = MappingFields.Check(m, path, TopologyFields.Cbs, values.Diagnostics);
                long? Field(string name, long min, long max, string what) =>
                    values.Required(f, name, what) is { } n ? values.Integer(n, f.PathOf(name), min, max, what) : null;
                var idle = Field("idleslope", 1, 1_000_000_000, "the idle slope in kbit/s (the class's reserved rate)");
                var send = Field("sendslope", -1_000_000_000, -1, "the send slope in kbit/s (idleslope − port rate, negative)");
                var hi = Field("hicredit", 0, 1 << 30, "the highest credit in bytes");
                var lo = Field("locredit", -(1 << 30), 0, "the lowest credit in bytes");
                if (idle is { } a && send is { } b && hi is { } c && lo is { } d) cbs = new CreditBasedShaperConfig(a, b, c, d);
            }
            if (cbs is not null && (cbs.IdleSlopeKbps <= 0 || cbs.SendSlopeKbps >= 0 || cbs.HiCreditBytes < 0 || cbs.LoCreditBytes > 0))
            {
                values.Diagnostics.Error(node, path, "expected idleslope > 0, sendslope < 0, hicredit ≥ 0 and locredit ≤ 0 (tc-cbs)");
                return null;
            }
            return cbs;
        });

    /// <summary><c>etf:</c>, by traffic class: tc-etf's words, such as <c>"clockid CLOCK_TAI delta 300000 offload"</c>.</summary>
    private static Dictionary<int, EtfConfig> ReadEtf(MappingFields fields, int numTc, ValueReader values) =>
        PerClass(fields, "etf", "tc-etf parameters, such as { 0: \"clockid CLOCK_TAI delta 300000 offload\" }", numTc, values, (node, path) =>
            values.Text(node, path, "tc-etf's words, such as \"clockid CLOCK_TAI delta 300000 offload\"") is not null && node is ScalarSourceNode scalar
                ? Words(scalar, path, values, EtfSyntax.Parse) : null);

    /// <summary>tc's words for one qdisc, each error at its character in the text.</summary>
    private static T? Words<T>(ScalarSourceNode scalar, string path, ValueReader values, Func<string, List<TaprioSyntax.Error>, T?> parse) where T : class
    {
        var errors = new List<TaprioSyntax.Error>();
        var parsed = parse(scalar.Value, errors);
        foreach (var error in errors) values.Diagnostics.Error(scalar, path, $"at character {error.Offset + 1}: {error.Message}");
        return errors.Count == 0 ? parsed : null;
    }

    /// <summary>A mapping of traffic class → one qdisc's settings, each class checked to exist.</summary>
    private static Dictionary<int, T> PerClass<T>(MappingFields fields, string name, string example, int numTc, ValueReader values, Func<SourceNode, string, T?> read) where T : class
    {
        var byClass = new Dictionary<int, T>();
        if (fields[name] is not { } node || values.Mapping(node, fields.PathOf(name), $"a mapping of traffic class → {example}") is not { } mapping)
            return byClass;
        foreach (var entry in mapping.Entries)
        {
            var path = $"{fields.PathOf(name)}.{entry.Name}";
            if (!int.TryParse(entry.Name, out var trafficClass) || trafficClass < 0 || trafficClass >= 16)
            {
                values.Diagnostics.Error(entry.Key, path, $"'{entry.Name}' is not a traffic class; expected a class number from 0 to 15");
                continue;
            }
            if (read(entry.Value, path) is not { } config) continue;
            if (trafficClass >= numTc)
                values.Diagnostics.Error(entry.Key, path, $"traffic class {trafficClass} has {(name == "cbs" ? "a shaper" : $"an {name} qdisc")}, but there are only {numTc} (0 … {numTc - 1})");
            else byClass[trafficClass] = config;
        }
        return byClass;
    }

    private static (GateControlList? Schedule, int MaxEntries) ReadSchedule(SourceNode node, string path, ValueReader values)
    {
        var mapping = values.Mapping(node, path, "a mapping with entries and optionally base_time, cycle_time, cycle_time_extension, max_entries");
        if (mapping is null) return (null, 1024);
        var fields = MappingFields.Check(mapping, path, TopologyFields.Schedule, values.Diagnostics);
        var baseTime = fields["base_time"] is { } b ? values.Duration(b, fields.PathOf("base_time"), allowZero: true) ?? SimTime.Zero : SimTime.Zero;
        SimTime? cycle = fields["cycle_time"] is { } c ? values.Duration(c, fields.PathOf("cycle_time"), allowZero: false) : null;
        var extension = fields["cycle_time_extension"] is { } e ? values.Duration(e, fields.PathOf("cycle_time_extension"), allowZero: true) ?? SimTime.Zero : SimTime.Zero;
        int maxEntries = fields["max_entries"] is { } m ? (int)(values.Integer(m, fields.PathOf("max_entries"), 1, 1 << 20, "the most entries the port accepts") ?? 1024) : 1024;
        var entries = new List<GateControlEntry>();
        if (values.Required(fields, "entries", "a list of gate entries such as [\"S 01 300000\", \"S 02 200000\"]") is { } entriesNode
            && values.Sequence(entriesNode, fields.PathOf("entries"), "a list of gate entries such as [\"S 01 300000\"]") is { } list)
        {
            for (int i = 0; i < list.Items.Count; i++)
            {
                var itemPath = $"{fields.PathOf("entries")}[{i}]";
                if (ReadEntry(list.Items[i], itemPath, values) is { } entry) entries.Add(entry);
            }
            if (list.Items.Count == 0) values.Diagnostics.Error(list, fields.PathOf("entries"), "no entries; expected at least one gate entry");
        }
        if (entries.Count == 0) return (null, maxEntries);
        var sum = new SimTime(entries.Sum(x => x.Interval.Picoseconds));
        return (new GateControlList(baseTime, cycle ?? sum, entries) { CycleTimeExtension = extension }, maxEntries);
    }

    private static GateControlEntry? ReadEntry(SourceNode node, string path, ValueReader values)
    {
        if (node is ScalarSourceNode scalar)
        {
            var errors = new List<TaprioSyntax.Error>();
            var parsed = TaprioSyntax.Parse("sched-entry " + scalar.Value, errors);
            foreach (var error in errors) values.Diagnostics.Error(scalar, path, $"'{scalar.Value}': {error.Message}");
            if (errors.Count > 0 || parsed.Entries.Count != 1) return null;
            var (command, gates, ns, _) = parsed.Entries[0];
            return new GateControlEntry(command, gates, SimTime.FromNanoseconds(ns));
        }
        var mapping = values.Mapping(node, path, "\"S 01 300000\" or a mapping with command, gates, interval");
        if (mapping is null) return null;
        var fields = MappingFields.Check(mapping, path, TopologyFields.GateEntry, values.Diagnostics);
        char cmd = 'S';
        if (fields["command"] is { } c && values.Text(c, fields.PathOf("command"), "S, H or R") is { } text)
        {
            if (text is "S" or "H" or "R") cmd = text[0];
            else values.Diagnostics.Error(c, fields.PathOf("command"), $"'{text}' is not a gate command; expected S (set gates), H (set and hold) or R (set and release)");
        }
        var gatesValue = values.Required(fields, "gates", "the gate mask, bit i for traffic class i, such as 0x03") is { } g ? GateMask(g, fields.PathOf("gates"), values) : null;
        var interval = values.Required(fields, "interval", "how long the entry lasts, such as 300us") is { } iv ? values.Duration(iv, fields.PathOf("interval"), allowZero: false) : null;
        return gatesValue is { } mask && interval is { } length ? new GateControlEntry(cmd, (ushort)mask, length) : null;
    }

    /// <summary>A gate mask as tc writes it, in hex (<c>0x03</c>), or as a decimal integer.</summary>
    private static long? GateMask(SourceNode node, string path, ValueReader values)
    {
        if (node is ScalarSourceNode { Value: var text } && text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            if (ushort.TryParse(text[2..], System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var mask)) return mask;
            values.Diagnostics.Error(node, path, $"'{text}' is not a gate mask; expected up to four hex digits after 0x (bit i opens traffic class i)");
            return null;
        }
        return values.Integer(node, path, 0, 0xFFFF, "a gate mask (bit i opens traffic class i), such as 0x03");
    }

    private static EgressConfig? ReadTaprio(SourceNode node, string path, ValueReader values)
    {
        if (values.Text(node, path, "tc's taprio command line, such as \"num_tc 2 map 0 1 queues 1@0 1@1 sched-entry S 01 300000\"") is not { } text) return null;
        var errors = new List<TaprioSyntax.Error>();
        var parsed = TaprioSyntax.Parse(text, errors);
        foreach (var error in errors) values.Diagnostics.Error(node, path, $"at character {error.Offset + 1}: {error.Message}");
        if (errors.Count > 0) return null;
        if (parsed.NumTrafficClasses is not { } numTc)
        {
            values.Diagnostics.Error(node, path, "num_tc is missing; expected the number of traffic classes (1 to 16)");
            return null;
        }
        var schedule = parsed.Entries.Count > 0 ? ScheduleOf(parsed, node, path, values) : null;
        return Build(numTc, parsed.Map, parsed.Queues, schedule, 1024, node, path, values);
    }

    private static GateControlList ScheduleOf(TaprioSyntax.Parsed parsed, SourceNode node, string path, ValueReader values)
    {
        var schedule = TaprioSyntax.ScheduleOf(parsed, out long? outOfRangeBaseNs);
        if (outOfRangeBaseNs is { } baseNs)
            values.Diagnostics.Warning(node, path, $"base-time {baseNs} ns is beyond the simulation's clock range (about 106 days); using its phase in the cycle, {schedule.BaseTime.Picoseconds / 1000} ns");
        return schedule;
    }

    /// <summary>
    /// What only the port's rate can tell: a gate entry shorter than a minimum frame's time is
    /// an error (no frame could ever use it); a class whose longest open window is shorter than
    /// the largest frame of the streams its priorities carry is a warning (the guard band would
    /// hold such frames for ever).
    /// </summary>
    public static void CheckAgainstLinks(IReadOnlyList<ParsedNode> nodes, IReadOnlyList<LinkConfig> links, IReadOnlyList<StreamConfig> streams, ValueReader values)
    {
        // A stream's frames have its PCP as their priority (0 untagged) wherever they go.
        var largestByPriority = streams.GroupBy(s => (int)s.Pcp).ToDictionary(g => g.Key, g => g.Max(s => s.FrameSize));
        var rates = new Dictionary<PortRef, Time.DataRate>();
        foreach (var link in links)
        {
            rates[link.A] = link.Rate;
            rates[link.B] = link.Rate;
        }
        foreach (var node in nodes)
        {
            if (node.Config is null) continue;
            for (int i = 0; i < node.Config.Ports.Count && i < node.Ports.Count; i++)
            {
                var port = node.Config.Ports[i];
                if (port.Egress is not { } egress || !rates.TryGetValue(new PortRef(node.Name, port.Name), out var rate)) continue;
                var at = node.Ports[i].DeclaredAt;
                var schedules = egress.ScheduleChanges.Select((c, n) => (c.Schedule, $"nodes.{node.Name}.ports.{port.Name}.egress.schedule_changes[{n}]"));
                if (egress.Schedule is { } first) schedules = schedules.Prepend((first, $"nodes.{node.Name}.ports.{port.Name}.egress"));
                foreach (var (schedule, field) in schedules) CheckAgainstRate(node.Name, port, schedule, rate, at, field, largestByPriority, values);
            }
        }
    }

    private static void CheckAgainstRate(string node, PortConfig port, GateControlList schedule, Time.DataRate rate, SourceNode at, string field,
        Dictionary<int, int> largestByPriority, ValueReader values)
    {
        var egress = port.Egress!;
        foreach (var problem in GateScheduleRules.EntryLengthProblems(schedule, rate))
            values.Diagnostics.Error(at, field, $"port {node}:{port.Name}: {problem}");
        for (int c = 0; c < egress.NumTrafficClasses; c++)
        {
            int size = Enumerable.Range(0, 8).Where(p => egress.ClassOf(p) == c).Select(p => largestByPriority.GetValueOrDefault(p)).DefaultIfEmpty(0).Max();
            if (size == 0) continue;
            var largest = Frames.Ethernet.WireTime(size, rate);
            var window = LongestWindow(schedule, c);
            if (window < largest)
                values.Diagnostics.Warning(at, field, $"port {node}:{port.Name}: traffic class {c}'s longest open window is {window}, shorter than its largest stream frame's {largest} ({size} bytes at {rate}); the guard band holds such frames for ever");
        }
    }

    /// <summary>The longest stretch of the cycle during which the class's gate stays open, across the cycle's end too.</summary>
    private static SimTime LongestWindow(GateControlList schedule, int trafficClass)
    {
        long cycle = schedule.CycleTime.Picoseconds, longest = 0, run = 0, t = 0;
        // Twice round the cycle, so a window that wraps from the last entry into the first counts whole.
        for (int lap = 0; lap < 2; lap++)
        {
            t = 0;
            for (int i = 0; i < schedule.Entries.Count && t < cycle; i++)
            {
                var entry = schedule.Entries[i];
                // The last entry holds to the cycle's end; a short cycle cuts entries off.
                long length = i == schedule.Entries.Count - 1 ? cycle - t : Math.Min(entry.Interval.Picoseconds, cycle - t);
                t += length;
                run = entry.IsOpen(trafficClass) ? run + length : 0;
                longest = Math.Max(longest, Math.Min(run, cycle));
            }
        }
        return longest >= cycle ? SimTime.MaxValue : new SimTime(longest);
    }

    /// <summary>The checks both forms share: every class, gate and queue named must exist.</summary>
    private static EgressConfig? Build(int numTc, byte[]? map, (int, int)[]? queues, GateControlList? schedule, int maxEntries, SourceNode at, string path, ValueReader values)
    {
        bool ok = true;
        if (map is null)
        {
            if (numTc > 1)
            {
                values.Diagnostics.Error(at, path, $"map is missing; with {numTc} traffic classes, expected the class of each priority 0 … 15, as tc's map (such as map 0 0 0 0 0 0 1 1 …)");
                ok = false;
            }
            map = new byte[16];
        }
        for (int p = 0; p < 16; p++)
            if (map[p] >= numTc)
            {
                values.Diagnostics.Error(at, path, $"map sends priority {p} to traffic class {map[p]}, but there are only {numTc} (0 … {numTc - 1})");
                ok = false;
            }
        queues ??= Enumerable.Range(0, numTc).Select(c => (1, c)).ToArray();
        if (queues.Length != numTc)
        {
            values.Diagnostics.Error(at, path, $"queues lists {queues.Length} classes; expected one count@offset for each of the {numTc} traffic classes");
            ok = false;
        }
        else if (!CheckQueues(queues, at, path, values)) ok = false;
        if (schedule is not null && !CheckSchedule(schedule, numTc, maxEntries, at, path, values)) ok = false;
        return ok ? new EgressConfig(numTc, map, queues) { Schedule = schedule, MaxEntries = maxEntries } : null;
    }

    /// <summary>As mqprio checks them: each class has at least one Tx queue, no two classes share one, and there are at most 16.</summary>
    private static bool CheckQueues((int Count, int Offset)[] queues, SourceNode at, string path, ValueReader values)
    {
        bool ok = true;
        for (int c = 0; c < queues.Length; c++)
        {
            var (count, offset) = queues[c];
            if (count < 1 || (long)offset + count > Nic.NicConfig.MaximumQueues)
            {
                values.Diagnostics.Error(at, path, $"queues gives traffic class {c} {count}@{offset}; expected at least one Tx queue, all of them below {Nic.NicConfig.MaximumQueues}");
                ok = false;
                continue;
            }
            for (int other = 0; other < c; other++)
                if (offset < queues[other].Offset + queues[other].Count && queues[other].Offset < offset + count)
                {
                    values.Diagnostics.Error(at, path, $"queues gives traffic classes {other} and {c} the same Tx queue ({queues[other].Count}@{queues[other].Offset} and {count}@{offset}); expected each class its own queues");
                    ok = false;
                }
        }
        return ok;
    }

    /// <summary>A schedule fits the port: no more entries than it accepts, no gate for a class it lacks.</summary>
    private static bool CheckSchedule(GateControlList schedule, int numTc, int maxEntries, SourceNode at, string path, ValueReader values)
    {
        var problems = GateScheduleRules.StructureProblems(schedule, numTc, maxEntries);
        foreach (var problem in problems) values.Diagnostics.Error(at, path, problem);
        return problems.Count == 0;
    }
}
