using TsnSim.Core.Time;
using TsnSim.Core.Topology;
using TsnSim.Core.Tsn;
using static TsnSim.Tests.Topology.TopologyErrorAssert;

namespace TsnSim.Tests.Tsn;

/// <summary>
/// tc's own words, against the schedules the tc-taprio(8) man page says they make; taprio's
/// rule for a base time in the past; and clear errors for schedules a port cannot run.
/// </summary>
public class TaprioSyntaxTests
{
    // The tc-taprio(8) man page's first example, as printed there (line continuations and all).
    private const string ManPageExample = """
        tc qdisc replace dev eth0 parent root handle 100 taprio \
                      num_tc 3 \
                      map 2 2 1 0 2 2 2 2 2 2 2 2 2 2 2 2 \
                      queues 1@0 1@1 2@2 \
                      base-time 1528743495910289987 \
                      sched-entry S 01 300000 \
                      sched-entry S 02 300000 \
                      sched-entry S 04 400000 \
                      clockid CLOCK_TAI
        """;

    [Fact]
    public void TheManPageExampleParsesToItsSchedule()
    {
        var errors = new List<TaprioSyntax.Error>();
        var parsed = TaprioSyntax.Parse(ManPageExample, errors);
        Assert.Empty(errors);
        Assert.Equal(3, parsed.NumTrafficClasses);
        Assert.Equal(new byte[] { 2, 2, 1, 0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2 }, parsed.Map);
        Assert.Equal(new[] { (1, 0), (1, 1), (2, 2) }, parsed.Queues);
        Assert.Equal(1528743495910289987L, parsed.BaseTimeNs);
        Assert.Null(parsed.CycleTimeNs);
        Assert.Equal([('S', (ushort)0x01, 300000L), ('S', (ushort)0x02, 300000L), ('S', (ushort)0x04, 400000L)], parsed.Entries.Select(e => (e.Command, e.Gates, e.IntervalNs)));
    }

    [Fact]
    public void InATopologyTheManPageExampleRunsItsOneMillisecondCycleInPhase()
    {
        var yaml = $"name: t\nnodes:\n  h1: {{ kind: host, ports: {{ eth0: {{ egress: {{ taprio: \"{ManPageExample.Replace("\\", " ", StringComparison.Ordinal).ReplaceLineEndings(" ")}\" }} }} }} }}\n  h2: {{ kind: host, ports: 1 }}\nlinks:\n  - endpoints: [\"h1:eth0\", \"h2:eth0\"]\n";
        var result = TopologyLoader.Load(yaml, "t.yaml");
        Assert.True(result.Succeeded, string.Join("; ", result.Diagnostics));
        // A TAI base time is far beyond the simulated clock: it keeps its phase in the 1 ms cycle (the sum of the intervals), with a warning.
        Assert.Contains(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Warning && d.Message.Contains("base-time", StringComparison.Ordinal));
        var schedule = result.Topology!.Node("h1").Ports[0].Egress!.Schedule!;
        Assert.Equal(SimTime.FromMilliseconds(1), schedule.CycleTime);
        Assert.Equal(SimTime.FromNanoseconds(1528743495910289987L % 1_000_000), schedule.BaseTime);
        // The first 300 µs open class 0 (gates 01), then class 1, then class 2 for 400 µs.
        long start = schedule.BaseTime.Picoseconds;
        Assert.Equal(((ushort)0x01, start + 300_000_000), schedule.StateAt(start, start));
        Assert.Equal(((ushort)0x04, start + 1_000_000_000), schedule.StateAt(start + 600_000_000, start));
        Assert.Equal(((ushort)0x02, start + 1_600_000_000), schedule.StateAt(start + 1_300_000_000, start));
    }

    [Theory]
    // taprio: a base time in the past starts at base-time + (N + 1) × cycle-time, the first cycle boundary after now.
    [InlineData(1_000L, 1_000_000L, 0L, 1_000L)]
    [InlineData(1_000L, 1_000_000L, 1_000L, 1_000L)]
    [InlineData(1_000L, 1_000_000L, 1_001L, 1_001_000L)]
    [InlineData(0L, 250_000L, 2_600_000L, 2_750_000L)]
    public void ABaseTimeInThePastStartsAtTheNextCycleBoundary(long baseNs, long cycleNs, long installedNs, long expectedStartNs)
    {
        var list = new GateControlList(SimTime.FromNanoseconds(baseNs), SimTime.FromNanoseconds(cycleNs), [new GateControlEntry('S', 1, SimTime.FromNanoseconds(cycleNs))]);
        Assert.Equal(expectedStartNs * 1000, list.StartPs(installedNs * 1000));
    }

    [Fact]
    public void ALongerCycleKeepsTheLastEntryAndAShorterOneCutsTheEntriesOff()
    {
        GateControlEntry[] entries = [new('S', 0x01, SimTime.FromMicroseconds(100)), new('S', 0x02, SimTime.FromMicroseconds(100))];
        var longer = new GateControlList(SimTime.Zero, SimTime.FromMicroseconds(300), entries);
        Assert.Equal(((ushort)0x02, 300_000_000L), longer.StateAt(250_000_000, 0));
        var shorter = new GateControlList(SimTime.Zero, SimTime.FromMicroseconds(150), entries);
        Assert.Equal(((ushort)0x02, 150_000_000L), shorter.StateAt(120_000_000, 0));
        Assert.Equal(((ushort)0x01, 250_000_000L), shorter.StateAt(160_000_000, 0));
        // Before the schedule starts every gate is open.
        Assert.Equal((GateControlList.AllOpen, 500_000L), longer.StateAt(0, 500_000));
    }

    private static string Egress(string egress) => ValidBase.Replace("h1: { kind: host, ports: 1 }", $"h1: {{ kind: host, ports: {{ eth0: {{ egress: {egress} }} }} }}", StringComparison.Ordinal);

    [Fact]
    public void AGateMaskNamingAMissingClassIsRefused() =>
        // Line 3 "  h1: { kind: host, ports: { eth0: { egress: {": the egress mapping starts at column 46.
        SingleError(Egress("{ num_tc: 2, map: [0, 1], schedule: { entries: [\"S 01 1000\", \"S 04 1000\"] } }"), 3, 46, "nodes.h1.ports.eth0.egress",
            "gate entry 1 (mask 0x04) opens traffic class 2", "only 2 (0 … 1)");

    [Fact]
    public void AMapToAMissingClassIsRefused() =>
        SingleError(Egress("{ num_tc: 2, map: [0, 1, 3] }"), 3, 46, "nodes.h1.ports.eth0.egress", "map sends priority 2 to traffic class 3", "only 2");

    [Fact]
    public void MoreClassesThanOneNeedAMap() =>
        SingleError(Egress("{ num_tc: 3 }"), 3, 46, "nodes.h1.ports.eth0.egress", "map is missing", "with 3 traffic classes");

    [Fact]
    public void AListLongerThanThePortAcceptsIsRefused() =>
        SingleError(Egress("{ num_tc: 1, schedule: { max_entries: 2, entries: [\"S 01 1000\", \"S 01 1000\", \"S 01 1000\"] } }"), 3, 46, "nodes.h1.ports.eth0.egress",
            "3 entries", "at most 2 (max_entries)");

    [Fact]
    public void AnUnknownTcWordIsNamedWithItsPlace() =>
        // Line 3: the taprio string's opening quote is at column 56; the misspelt word is its 32nd character.
        SingleError(Egress("{ taprio: \"num_tc 1 sched-entry S 01 1000 sched-entyr S 01 5\" }"), 3, 56, "nodes.h1.ports.eth0.egress.taprio",
            "at character 32", "unknown word 'sched-entyr'");

    [Fact]
    public void ALaunchTimeNeedsTrafficClassesOnTheTalkersPort() =>
        // Line 10: the stream's launch_time value starts at column 71.
        SingleError(ValidBase + "streams:\n  - { name: s, talker: h1, listeners: [h2], period: 1ms, launch_time: 10us }\n", 10, 71, "streams[0].launch_time",
            "launch times need traffic classes on the talker's port h1:eth0", "egress: { num_tc: 1 }");

    [Fact]
    public void AnEntryShorterThanAMinimumFrameIsRefused() =>
        // 64 bytes with preamble and inter-frame gap take 84 × 8 ns = 672 ns at 1 Gb/s (the default rate); the port is declared on line 3, column 30.
        SingleError(Egress("{ num_tc: 1, schedule: { entries: [\"S 01 500\", \"S 01 100000\"] } }"), 3, 30, "nodes.h1.ports.eth0.egress",
            "port h1:eth0: gate entry 0 lasts 500ns", "shorter than a minimum frame's 672ns");

    [Fact]
    public void TheTcEtfManPageExampleReadsAsWritten()
    {
        // tc-etf(8): mqprio with three classes, then etf on 100:1 (traffic class 0, mqprio's minor numbers counting from 1).
        var result = TopologyLoader.Load(Egress("""
            { taprio: "tc qdisc add dev eth0 handle 100: parent root mqprio num_tc 3 map 2 2 1 0 2 2 2 2 2 2 2 2 2 2 2 2 queues 1@0 1@1 2@2 hw 0",
              etf: { 0: "tc qdisc replace dev eth0 parent 100:1 etf clockid CLOCK_TAI delta 300000 offload" } }
            """.ReplaceLineEndings(" ")), "etf.yaml");
        Assert.True(result.Succeeded, string.Join("; ", result.Diagnostics));
        var egress = result.Topology!.Node("h1").Ports[0].Egress!;
        Assert.Equal(3, egress.NumTrafficClasses);
        Assert.Equal([(1, 0), (1, 1), (2, 2)], egress.Queues);
        Assert.Equal(new EtfConfig(300_000, Offload: true, DeadlineMode: false), egress.Etf[0]);
        Assert.Single(egress.Etf);
    }

    [Fact]
    public void AnEtfOnAMissingClassOrWithAMisspeltWordIsRefused()
    {
        SingleError(Egress("{ num_tc: 2, map: [0, 1], etf: { 2: \"clockid CLOCK_TAI delta 1000\" } }"), 3, 79, "nodes.h1.ports.eth0.egress.etf.2",
            "traffic class 2 has an etf qdisc", "only 2");
        SingleError(Egress("{ num_tc: 2, map: [0, 1], etf: { 1: \"clockid CLOCK_TAI delat 1000\" } }"), 3, 82, "nodes.h1.ports.eth0.egress.etf.1",
            "at character 19", "unknown word 'delat'");
        // The kernel's etf takes CLOCK_TAI alone, and a delta that fits its signed 32 bits of nanoseconds, not below zero.
        SingleError(Egress("{ num_tc: 2, map: [0, 1], etf: { 1: \"clockid CLOCK_REALTIME delta 1000\" } }"), 3, 82, "nodes.h1.ports.eth0.egress.etf.1",
            "at character 1", "is not CLOCK_TAI");
        SingleError(Egress("{ num_tc: 2, map: [0, 1], etf: { 1: \"clockid CLOCK_TAI delta 4294967296\" } }"), 3, 82, "nodes.h1.ports.eth0.egress.etf.1",
            "at character 19", "from 0 to 2147483647");
    }

    [Fact]
    public void AScheduleChangeNamingAMissingClassIsRefusedWithItsPlace() =>
        // Line 3: the change's schedule mapping starts at column 112.
        SingleError(Egress("{ num_tc: 2, map: [0, 1], schedule_changes: [{ at: 1ms, schedule: { entries: [\"S 04 1000\"] } }] }"), 3, 112,
            "nodes.h1.ports.eth0.egress.schedule_changes[0]", "gate entry 0 (mask 0x04) opens traffic class 2", "only 2 (0 … 1)");

    [Fact]
    public void AScheduleChangeKeepsThePortsClasses() =>
        // The taprio string's opening quote, at column 110.
        SingleError(Egress("{ num_tc: 2, map: [0, 1], schedule_changes: [{ at: 1ms, taprio: \"num_tc 3 sched-entry S 01 1000\" }] }"), 3, 110,
            "nodes.h1.ports.eth0.egress.schedule_changes[0].taprio", "keeps the port's classes", "only base-time, cycle-time, cycle-time-extension and sched-entry");

    [Fact]
    public void AScheduleChangeNeedsItsTime() =>
        // The change's mapping, at column 78.
        SingleError(Egress("{ num_tc: 1, schedule_changes: [{ taprio: \"sched-entry S 01 1000\" }] }"), 3, 78,
            "nodes.h1.ports.eth0.egress.schedule_changes[0].at", "at", "when the schedule is installed");

    [Fact]
    public void AScheduleChangesEntryShorterThanAMinimumFrameIsRefused() =>
        SingleError(Egress("{ num_tc: 1, schedule_changes: [{ at: 1ms, taprio: \"sched-entry S 01 600 sched-entry S 01 5000\" }] }"), 3, 30,
            "nodes.h1.ports.eth0.egress.schedule_changes[0]", "port h1:eth0: gate entry 0 lasts 600ns", "shorter than a minimum frame's 672ns");

    [Fact]
    public void AClassWhoseLargestFrameNeverFitsIsWarnedOf()
    {
        // Class 0's longest window is 10 µs (with the last entry's 5 µs wrapping into the first 5 µs); a 1500-byte frame takes 1520 × 8 ns = 12.16 µs.
        var yaml = Egress("{ num_tc: 2, map: [0, 0, 0, 0, 0, 0, 1], schedule: { entries: [\"S 01 5000\", \"S 02 40000\", \"S 01 5000\"] } }")
            + "streams:\n  - { name: bulk, talker: h1, listeners: [h2], period: 1ms, size: 1500 }\n";
        var result = TopologyLoader.Load(yaml, "t.yaml");
        Assert.True(result.Succeeded, string.Join("; ", result.Diagnostics));
        var warning = Assert.Single(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Warning && d.Field == "nodes.h1.ports.eth0.egress");
        Assert.Contains("traffic class 0's longest open window is 10us, shorter than its largest stream frame's 12.16us (1500 bytes at", warning.Message, StringComparison.Ordinal);
        // Given 12.5 µs of window, it fits and nothing is said.
        var fits = TopologyLoader.Load(yaml.Replace("S 01 5000\", \"S 02 40000\", \"S 01 5000", "S 01 6250\", \"S 02 40000\", \"S 01 6250", StringComparison.Ordinal), "t.yaml");
        Assert.DoesNotContain(fits.Diagnostics, d => d.Severity == DiagnosticSeverity.Warning && d.Field == "nodes.h1.ports.eth0.egress");
    }
}
