using FsCheck;
using FsCheck.Fluent;
using TsnSim.Core.Frames;
using TsnSim.Core.Links;
using TsnSim.Core.Telemetry;
using TsnSim.Core.Time;
using TsnSim.Core.Tsn;
using TsnSim.Tests.Ptp;

namespace TsnSim.Tests.Tsn;

/// <summary>
/// A new gate schedule replacing the running one (802.1Qbv admin → oper), against 802.1Q-2018
/// Q.5's rule as written: "if the last complete old cycle would normally end less than
/// OperCycleTimeExtension before the new base time, then [it] is extended so that it ends at
/// AdminBaseTime"; otherwise the cycle under way is cut off there (so is a cycle that had
/// ended before the new schedule was installed: it cannot be run again). A base time already past
/// when the schedule is installed starts at base + (n + 1) × cycle.
/// </summary>
public class GateScheduleChangeTests
{
    private static GateControlList List(long baseNs, long extensionNs, params (ushort Gates, long Ns)[] entries) =>
        new(SimTime.FromNanoseconds(baseNs), SimTime.FromNanoseconds(entries.Sum(e => e.Ns)),
            entries.Select(e => new GateControlEntry('S', e.Gates, SimTime.FromNanoseconds(e.Ns))).ToList())
        { CycleTimeExtension = SimTime.FromNanoseconds(extensionNs) };

    private static (ushort, long) State(GateTimeline timeline, long ns)
    {
        var (gates, change) = timeline.StateAt(ns * 1000);
        return (gates, change == long.MaxValue ? long.MaxValue : change / 1000);
    }

    /// <summary>The old schedule: class 0 for 600 ns, class 1 for 400 ns, from 0; the new one opens both for 500 ns cycles from 2300 ns.</summary>
    private static GateTimeline Replaced(long extensionNs, long newBaseNs = 2300)
    {
        var timeline = new GateTimeline(List(0, extensionNs, (0x01, 600), (0x02, 400)), 0);
        Assert.Equal(newBaseNs * 1000, timeline.Install(List(newBaseNs, 0, (0x03, 500)), 1500 * 1000));
        return timeline;
    }

    [Fact]
    public void WithoutAnExtensionTheCycleUnderWayIsCutOffAtTheNewBaseTime()
    {
        var timeline = Replaced(extensionNs: 0);
        Assert.Equal((0x02, 2000L), State(timeline, 1700));
        // The cycle that began at 2000 runs its first entry only until the new schedule begins.
        Assert.Equal((0x01, 2300L), State(timeline, 2100));
        Assert.Equal((0x03, 2800L), State(timeline, 2300));
        Assert.Equal((0x03, 3300L), State(timeline, 3299));
    }

    [Fact]
    public void WithinTheExtensionTheLastWholeCycleStretchesToTheNewBaseTime()
    {
        // The last whole cycle (1000–2000) would end 300 ns before the new base time, less than the 400 ns extension.
        var timeline = Replaced(extensionNs: 400);
        Assert.Equal((0x01, 1600L), State(timeline, 1200));
        Assert.Equal((0x02, 2300L), State(timeline, 1700));
        Assert.Equal((0x02, 2300L), State(timeline, 2100));
        Assert.Equal((0x03, 2800L), State(timeline, 2300));
    }

    [Fact]
    public void AnExtensionNoLongerThanTheGapDoesNotStretchTheCycle()
    {
        // "Less than": a gap of exactly the extension is cut off, as with none.
        Assert.Equal((0x01, 2300L), State(Replaced(extensionNs: 300), 2100));
        Assert.Equal((0x01, 2300L), State(Replaced(extensionNs: 299), 2100));
        Assert.Equal((0x02, 2300L), State(Replaced(extensionNs: 301), 2100));
    }

    [Fact]
    public void ANewBaseTimeOnACycleBoundaryTakesOverCleanly()
    {
        var timeline = Replaced(extensionNs: 400, newBaseNs: 3000);
        Assert.Equal((0x02, 3000L), State(timeline, 2700));
        Assert.Equal((0x03, 3500L), State(timeline, 3000));
    }

    [Fact]
    public void ABaseTimeAlreadyPastStartsAtTheFirstOfItsCycleBoundariesAfterTheInstall()
    {
        var timeline = new GateTimeline(List(0, 0, (0x01, 600), (0x02, 400)), 0);
        // Base 100 ns, 500 ns cycles, installed at 2500 ns: 100 + (⌊2400 / 500⌋ + 1) × 500 = 2600 ns.
        Assert.Equal(2_600_000, timeline.Install(List(100, 0, (0x03, 500)), 2_500_000));
        Assert.Equal((0x01, 2600L), State(timeline, 2500));
        Assert.Equal((0x03, 3100L), State(timeline, 2600));
    }

    [Fact]
    public void AScheduleInstalledDuringAStretchedCycleLeavesWhatHasRunAsItRan()
    {
        // Stretched from 2000 ns towards 2300 ns (holding class 1's gate); at 2100 ns another schedule replaces the
        // waiting one. What the port did before 2100 cannot change: the hold stands until then.
        var timeline = Replaced(extensionNs: 400);
        var before = Enumerable.Range(0, 2100).Select(ns => timeline.StateAt(ns * 1000L).Gates).ToArray();
        long closedBefore = timeline.ClosedPs(0, 2_000_000, 2_100_000);
        Assert.Equal(5_000_000, timeline.Install(List(5000, 0, (0x03, 500)), 2_100_000));
        Assert.Equal(before, Enumerable.Range(0, 2100).Select(ns => timeline.StateAt(ns * 1000L).Gates).ToArray());
        Assert.Equal(closedBefore, timeline.ClosedPs(0, 2_000_000, 2_100_000));
        Assert.Equal(100_000, closedBefore);
        // From the install the running list goes on in its own cycle (2000–3000: class 0 until 2600), then the new one at 5000.
        Assert.Equal((0x01, 2600L), State(timeline, 2100));
        Assert.Equal((0x03, 5500L), State(timeline, 5000));
    }

    [Fact]
    public void AScheduleInstalledWhileAnotherWaitsReplacesTheOneWaiting()
    {
        var timeline = new GateTimeline(List(0, 0, (0x01, 600), (0x02, 400)), 0);
        timeline.Install(List(5000, 0, (0x02, 500)), 1_000_000);
        timeline.Install(List(4000, 0, (0x03, 700)), 1_500_000);
        Assert.Equal((0x03, 4700L), State(timeline, 4000));
        Assert.Equal((0x03, 5400L), State(timeline, 5000));
    }

    [Fact]
    public void APortWithoutAScheduleIsAllOpenUntilItsFirstOneBegins()
    {
        var timeline = new GateTimeline(null, 0);
        Assert.False(timeline.HasGates);
        timeline.Install(List(2000, 0, (0x01, 600), (0x02, 400)), 500_000);
        Assert.True(timeline.HasGates);
        Assert.Equal((GateControlList.AllOpen, 2000L), State(timeline, 1000));
        Assert.Equal((0x01, 2600L), State(timeline, 2000));
        // Class 1's gate closes at 2000 ns; its closed time from 1000 to 3000 ns is 2000–2600.
        Assert.Equal(2_000_000, timeline.CloseTimePs(1, 1_000_000, 3_000_000));
        Assert.Equal(600_000, timeline.ClosedPs(1, 1_000_000, 3_000_000));
    }

    private static string TwoClasses(string schedule, string changes, string duration = "4ms", int size = 1000) => $$"""
        name: schedule-change
        duration: {{duration}}
        defaults: { link: { rate: 1Gbps, delay: 100ns } }
        nodes:
          h1:
            kind: host
            ports:
              eth0:
                egress:
                  num_tc: 2
                  map: [0, 0, 0, 0, 0, 0, 1]
                  schedule: {{schedule}}
                  schedule_changes: {{changes}}
          h2: { kind: host, ports: 1 }
        links:
          - { endpoints: ["h1:eth0", "h2:eth0"] }
        streams:
          - { name: a, talker: h1, listeners: [h2], rate: 900Mbps, size: {{size}}, vlan: 10, pcp: 6 }
          - { name: b, talker: h1, listeners: [h2], rate: 900Mbps, size: {{size}}, vlan: 10, pcp: 0 }
        """;

    [Theory]
    [InlineData("400us", 85)]
    [InlineData("0", 49)]
    public void OnTheWireTheStretchedCycleKeepsItsLastGatesUntilTheNewScheduleBegins(string extension, int classOneFrames)
    {
        // Old: class 0 for 600 µs, class 1 for 400 µs; new (installed at 1.5 ms): class 0 only, from 2.3 ms.
        // Both classes saturated with 1000-byte frames, 8.16 µs each on the wire. Class 1 opens at 1.6 ms; with
        // the extension it stays open until 2.3 ms: ⌊700 / 8.16⌋ = 85 frames; without, until 2.0 ms: ⌊400 / 8.16⌋ = 49.
        var wire = new TwoClassWire();
        GptpNetwork.Run(TwoClasses($"{{ cycle_time_extension: {extension}, entries: [\"S 01 600000\", \"S 02 400000\"] }}",
            "[{ at: 1500us, taprio: \"base-time 2300000 sched-entry S 01 500000\" }]"), wire);
        long Us(double us) => (long)(us * 1_000_000);
        Assert.Equal(classOneFrames, wire.Sent.Count(f => f.Class == 1 && f.StartPs >= Us(1600) && f.StartPs < Us(2300)));
        Assert.Equal(Us(1600), wire.Sent.First(f => f.Class == 1 && f.StartPs >= Us(1600)).StartPs);
        // From the new base time on only class 0 is ever sent.
        Assert.DoesNotContain(wire.Sent, f => f.Class == 1 && f.EndPs > Us(2300));
        Assert.Contains(wire.Sent, f => f.StartPs > Us(3900));
    }

    [Fact]
    public void AcrossRandomScheduleChangesNoFrameRunsIntoAClosedGate()
    {
        var cases = from oldMasks in Gen.Choose(0, 3).ArrayOf(2)
                    from oldIntervals in Gen.Choose(2_000, 30_000).ArrayOf(2)
                    from newMasks in Gen.Choose(0, 3).ArrayOf(2)
                    from newIntervals in Gen.Choose(2_000, 30_000).ArrayOf(2)
                    from extension in Gen.Choose(0, 60_000)
                    from installUs in Gen.Choose(0, 400)
                    from newBaseUs in Gen.Choose(0, 800)
                    from size in Gen.Choose(64, 1522)
                    select (oldMasks, oldIntervals, newMasks, newIntervals, extension, installUs, newBaseUs, size);
        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            string Entries(int[] masks, int[] intervals) => string.Join(", ", masks.Zip(intervals, (m, i) => $"\"S {m:x2} {i}\""));
            var yaml = TwoClasses($"{{ cycle_time_extension: {c.extension}ns, entries: [{Entries(c.oldMasks, c.oldIntervals)}] }}",
                $"[{{ at: {c.installUs}us, schedule: {{ base_time: {c.newBaseUs}us, entries: [{Entries(c.newMasks, c.newIntervals)}] }} }}]", "1500us", c.size);
            var wire = new TwoClassWire();
            GptpNetwork.Run(yaml, wire);

            // The gates from Q.5's words alone (ideal clock: clock time is true time).
            long oldCycle = c.oldIntervals.Sum(i => i * 1000L), newCycle = c.newIntervals.Sum(i => i * 1000L);
            long install = c.installUs * 1_000_000L, newBase = c.newBaseUs * 1_000_000L;
            long change = newBase >= install ? newBase : newBase + ((install - newBase) / newCycle + 1) * newCycle;
            long lastBoundary = change / oldCycle * oldCycle;
            // A cycle can stretch only while it runs: one that ended before the install has been run as it was.
            bool stretched = change - lastBoundary > 0 && change - lastBoundary < c.extension * 1000L && lastBoundary > 0 && lastBoundary > install;
            static int EntryAt(int[] intervals, long offset)
            {
                long end = 0;
                for (int i = 0; i < intervals.Length; i++)
                    if (offset < (end += intervals[i] * 1000L)) return i;
                return intervals.Length - 1;
            }
            int GatesAt(long t) =>
                t >= change ? c.newMasks[EntryAt(c.newIntervals, (t - change) % newCycle)]
                : stretched && t >= lastBoundary ? c.oldMasks[^1]
                : c.oldMasks[EntryAt(c.oldIntervals, t % oldCycle)];
            // Check every nanosecond a frame is on the wire: the entries are whole nanoseconds. A frame
            // that started before the install was sent under the only schedule there was, and may run on
            // into a gate the new one closes: no guard band can see a change not yet made.
            var late = wire.Sent.FirstOrDefault(f =>
            {
                if (f.StartPs < install) return false;
                for (long t = f.StartPs; t < f.EndPs; t += 1000)
                    if ((GatesAt(t) & (1 << f.Class)) == 0) return true;
                return false;
            });
            return late == default ? true : throw new Xunit.Sdk.XunitException(
                $"class {late.Class} on the wire {late.StartPs}..{late.EndPs} ps through a closed gate; old masks [{string.Join(", ", c.oldMasks)}] intervals [{string.Join(", ", c.oldIntervals)}], new masks [{string.Join(", ", c.newMasks)}] intervals [{string.Join(", ", c.newIntervals)}], extension {c.extension} ns, install {c.installUs} us, new base {c.newBaseUs} us, size {c.size}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(40));
    }
}
