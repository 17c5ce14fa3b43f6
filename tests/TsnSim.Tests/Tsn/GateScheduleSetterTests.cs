using TsnSim.Core.Distributed;
using TsnSim.Core.Frames;
using TsnSim.Core.Simulation;
using TsnSim.Core.Time;
using TsnSim.Core.Topology;
using TsnSim.Core.Tsn;
using TsnSim.Hosting;
using TsnSim.Hosting.Traffic;
using TsnSim.Protos.Traffic;
using TsnSim.Tests.Topology;
using TsnSim.Tests.Traffic;

namespace TsnSim.Tests.Tsn;

/// <summary>
/// The traffic API's gate-schedule setter: a schedule given to a bridge's port in the middle of
/// qbv-protected's run moves the control stream's window there, exactly as the same change
/// written in the topology does, in one process or one partition per node, and again on
/// replay; bad requests are refused by field.
/// </summary>
public class GateScheduleSetterTests
{
    private static readonly DataRate Gigabit = DataRate.Parse("1Gbps");
    private static readonly long InstallPs = 20 * SimTime.PicosecondsPerMillisecond;

    /// <summary>b2's control window 3 µs later than before (18 µs into the cycle instead of 15), from the first cycle boundary after 20 ms: 20.5 ms.</summary>
    private static readonly string[] LaterWindow = ["S 01 18000", "S 02 5000", "S 01 477000"];

    private static TopologyConfig Protected() => TopologyFile.Load(RepositoryFiles.Topology("qbv-protected.yaml"), TextWriter.Null);

    private static SetGateScheduleRequest Request() => new()
    {
        Node = "b2", Port = "eth1", When = new When { AtPs = InstallPs },
        Schedule = new GateSchedule { BaseTimeNs = 0, Entries = { LaterWindow } },
    };

    private static void SetLater(TopologyConfig topology, Partition partition, List<RecordedInjection>? recorded = null)
    {
        var handler = new LiveTrafficHandler(topology, partition);
        if (!handler.Owns("b2")) return;
        Assert.Equal(InstallPs, handler.SetGateSchedule(Request(), 0, topology.Duration!.Value).EffectivePs);
        recorded?.AddRange(handler.DrainRecorded());
    }

    [Fact]
    public void ASetterCallMovesTheWindowExactlyAsTheSameChangeInTheTopology()
    {
        var topology = Protected();
        var settings = TopologyFile.SettingsFor(topology, null, null);
        var recorded = new List<RecordedInjection>();
        var viaApi = SingleProcessRun.Execute(topology, settings, p => SetLater(topology, p, recorded));

        var entries = LaterWindow.Select(e => TaprioSyntax.Parse("sched-entry " + e, []).Entries[0])
            .Select(e => new GateControlEntry(e.Command, e.Gates, SimTime.FromNanoseconds(e.IntervalNs))).ToList();
        var change = new GateScheduleChange(new SimTime(InstallPs), new GateControlList(SimTime.Zero, SimTime.FromMicroseconds(500), entries));
        var written = topology with
        {
            Nodes = topology.Nodes.Select(n => n.Name != "b2" ? n : n with
            {
                Ports = n.Ports.Select(p => p.Egress is { } e ? p with { Egress = e with { ScheduleChanges = [change] } } : p).ToList(),
            }).ToList(),
        };
        var inTopology = SingleProcessRun.Execute(written, settings);
        var unchanged = SingleProcessRun.Execute(topology, settings);

        Assert.Equal(inTopology.FramesDigest, viaApi.FramesDigest);
        Assert.NotEqual(unchanged.FramesDigest, viaApi.FramesDigest);
        // Handed over at the stream's start into each cycle, the control frame is ready at b2 two hops (last bit in,
        // 2 µs processing) later, before the new window at 18 µs: it waits the difference there, and b3's window still
        // takes it at once. So latencies are the empty-network formula before 20.5 ms, that much more after.
        long hopPs = Ethernet.TimeToLastBit(128, Gigabit).Picoseconds + 100_000 + 2_000_000;
        long startPs = topology.Streams.Single(s => s.Name == "control").Start.Picoseconds % 500_000_000;
        double waitNs = (18_000_000 - (startPs + 2 * hopPs)) / 1000.0;
        Assert.InRange(waitNs, 100, 5000);
        double formula = (4 * (Ethernet.TimeToLastBit(128, Gigabit).Picoseconds + 100_000) + 3 * 2_000_000) / 1000.0;
        var control = viaApi.Streams.Single(s => s.Name == "control");
        Assert.Equal(formula, control.Latency!.Min, 3);
        Assert.Equal(formula + waitNs, control.Latency.Max, 3);
        var b2 = viaApi.Ports.Single(p => p is { Node: "b2", Port: "eth1" }).Classes!;
        // The frames handed over from 20.5 ms on (the 42nd to the 100th) wait.
        int later = Enumerable.Range(0, 100).Count(k => startPs + k * 500_000_000L >= 20_500_000_000);
        Assert.Equal(later * waitNs, b2[1].GateWaitTotalNs, 3);

        // One partition per node, messages in a shuffled order: the same run.
        var split = InMemoryDistributedRun.Execute(topology, settings, PartitionLayout.OnePerNode(topology), shuffleSeed: 3, prepare: p => SetLater(topology, p));
        Assert.Equal(viaApi.FramesDigest, split.FramesDigest);

        // The recorded request, replayed into a new run.
        var line = Assert.Single(recorded);
        Assert.Equal(RecordedInjection.RequestOneofCase.SetGateSchedule, line.RequestCase);
        var replayed = SingleProcessRun.Execute(topology, settings, p => new LiveTrafficHandler(topology, p).Replay(line));
        Assert.Equal(viaApi.FramesDigest, replayed.FramesDigest);
    }

    public static IEnumerable<object[]> BadRequests() => new (string Field, string Expected, Action<SetGateScheduleRequest> Change)[]
    {
        ("node", "not in the topology", r => r.Node = "b9"),
        ("port", "has no port 'eth7'", r => r.Port = "eth7"),
        ("port", "has no traffic classes", r => r.Port = "eth0"),
        ("schedule", "is missing", r => r.Schedule = null),
        ("schedule.entries", "is empty", r => r.Schedule.Entries.Clear()),
        ("schedule.entries[1]", "not a gate mask", r => r.Schedule.Entries[1] = "S zz 5000"),
        ("schedule.entries[0]", "not a gate command", r => r.Schedule.Entries[0] = "X 01 18000"),
        ("schedule", "opens traffic class 2, but there are only 2", r => r.Schedule.Entries[1] = "S 04 5000"),
        ("schedule", "shorter than a minimum frame", r => r.Schedule.Entries[1] = "S 02 600"),
        ("schedule.cycle_time_ns", "expected 0 or more", r => r.Schedule.CycleTimeNs = -1),
        // As taprio refuses "cycle_time is too small": 3 entries need 3 minimum frames (3 × 672 ns at 1 Gb/s).
        ("schedule", "shorter than one minimum frame per entry (3 × 672ns", r => r.Schedule.CycleTimeNs = 2000),
        ("schedule", "beyond the simulation's clock range", r => r.Schedule.Entries[0] = $"S 01 {long.MaxValue}"),
        ("when.at_ps", "already simulated", r => r.When = new When { AtPs = 1 }),
    }.Select(c => new object[] { c.Field, c.Expected, c.Change });

    [Theory]
    [MemberData(nameof(BadRequests))]
    public void ABadRequestNamesItsFieldAndChangesNothing(string field, string expected, Action<SetGateScheduleRequest> change)
    {
        var topology = Protected();
        var partition = PartitionBuilder.Build(topology, TopologyFile.SettingsFor(topology, null, null));
        var handler = new LiveTrafficHandler(topology, partition);
        var request = Request();
        change(request);
        var refusal = Assert.Throws<InvalidTrafficRequestException>(() => handler.SetGateSchedule(request, 5_000_000_000, topology.Duration!.Value));
        Assert.Equal(field, refusal.Field);
        Assert.Contains(expected, refusal.Message);
        Assert.Empty(handler.DrainRecorded());
        Assert.DoesNotContain(partition.Scheduler.Pending.ToArray(), e => e.Class == Core.Engine.EventClass.GateScheduleInstall);
    }
}
