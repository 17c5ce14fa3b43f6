using Google.Protobuf;
using TsnSim.Core.Simulation;
using TsnSim.Core.Time;
using TsnSim.Hosting;
using TsnSim.Hosting.Traffic;
using TsnSim.Protos.Traffic;
using TsnSim.Tests.Topology;

namespace TsnSim.Tests.Traffic;

/// <summary>
/// Every kind of bad request is refused whole, naming the field as traffic.proto spells it
/// (what a client reads in the INVALID_ARGUMENT detail), and leaves the host untouched.
/// </summary>
public class InvalidTrafficRequestTests
{
    private static readonly string Line = Path.Combine(RepositoryFiles.Root, "topologies", "line.yaml");
    private static readonly SimTime End = SimTime.FromMilliseconds(10);
    private const long Now = 5_000_000_000; // 5 ms: the node has simulated up to here

    private static FrameSpec Described(Action<DescribedFrame> change)
    {
        var frame = new DescribedFrame { DestinationNode = "h2", PayloadSize = 10 };
        change(frame);
        return new FrameSpec { Described = frame };
    }

    private static InjectFramesRequest Frames(params FrameSpec[] frames) => new() { Node = "h1", Frames = { frames } };

    public static IEnumerable<object[]> BadInjections() => new (string Field, InjectFramesRequest Request)[]
    {
        ("node", new InjectFramesRequest { Frames = { Described(_ => { }) } }),
        ("node", new InjectFramesRequest { Node = "h9", Frames = { Described(_ => { }) } }),
        ("node", new InjectFramesRequest { Node = "sw1", Frames = { Described(_ => { }) } }),
        ("frames", Frames()),
        ("frames", Frames(Enumerable.Repeat(Described(_ => { }), LiveTrafficHandler.MaxFramesPerRequest + 1).ToArray())),
        ("when.at_ps", new InjectFramesRequest { Node = "h1", When = new When { AtPs = Now - 1 }, Frames = { Described(_ => { }) } }),
        ("when.after_ps", new InjectFramesRequest { Node = "h1", When = new When { AfterPs = -1 }, Frames = { Described(_ => { }) } }),
        ("when", new InjectFramesRequest { Node = "h1", When = new When { AtPs = End.Picoseconds }, Frames = { Described(_ => { }) } }),
        ("frames[0]", Frames(new FrameSpec())),
        ("frames[0].port", Frames(Described(_ => { }).Also(f => f.Port = "eth7"))),
        ("frames[0].raw", Frames(new FrameSpec { Raw = ByteString.CopyFrom(new byte[13]) })),
        ("frames[0].raw", Frames(new FrameSpec { Raw = ByteString.CopyFrom(new byte[9213]) })),
        ("frames[0].described.destination", Frames(Described(d => d.ClearDestination()))),
        ("frames[0].described.destination_node", Frames(Described(d => d.DestinationNode = "sw2"))),
        ("frames[0].described.destination_mac", Frames(Described(d => d.DestinationMac = "02:00:00:00:00"))),
        ("frames[0].described.vlan", Frames(Described(d => d.Vlan = 4095))),
        ("frames[1].described.pcp", Frames(Described(_ => { }), Described(d => d.Pcp = 8))),
        ("frames[0].described.payload_size", Frames(Described(d => d.PayloadSize = 9212))),
        ("frames[0].described.payload_bytes", Frames(Described(d => d.PayloadBytes = ByteString.CopyFrom(new byte[9200])))),
        ("frames[0].described.application", Frames(Described(d => d.Application = "control"))),
    }.Select(c => new object[] { c.Field, c.Request });

    [Theory]
    [MemberData(nameof(BadInjections))]
    public void ABadInjectionNamesItsField(string field, InjectFramesRequest request) =>
        AssertRefused(field, handler => handler.InjectFrames(request, Now, End));

    public static IEnumerable<object[]> BadStreamStarts() => new (string Field, Action<StartStreamRequest> Change)[]
    {
        ("name", r => r.Name = "bulk"),
        ("period_ps", r => r.PeriodPs = 999),
        ("size", r => r.Size = 63),
        ("size", r => r.Size = 9217),
        ("count", r => r.Count = -1),
        ("destination", r => r.ClearDestination()),
        ("destination_mac", r => r.DestinationMac = "zz:00:00:00:00:01"),
        ("vlan", r => r.Vlan = 5000),
        ("pcp", r => r.Pcp = 9),
        ("port", r => r.Port = "eth1"),
        ("when.at_ps", r => r.When = new When { AtPs = 0 }),
    }.Select(c => new object[] { c.Field, c.Change });

    [Theory]
    [MemberData(nameof(BadStreamStarts))]
    public void ABadStreamStartNamesItsField(string field, Action<StartStreamRequest> change)
    {
        var request = new StartStreamRequest { Node = "h1", Name = "live", PeriodPs = 1_000_000, Size = 128, DestinationNode = "h2" };
        change(request);
        AssertRefused(field, handler => handler.StartStream(request, Now, End));
    }

    [Fact]
    public void StoppingAStreamTheHostDoesNotSendNamesTheName() =>
        AssertRefused("name", handler => handler.StopStream(new StopStreamRequest { Node = "h2", Name = "control" }, Now, End));

    [Fact]
    public void AHostOfAnotherProcessIsRefusedWithWhereToSendIt()
    {
        var topology = TopologyFile.Load(Line, TextWriter.Null);
        var settings = TopologyFile.SettingsFor(topology, null, null);
        var layout = Core.Distributed.PartitionLayout.OnePerNode(topology);
        var handler = new LiveTrafficHandler(topology, PartitionBuilder.Build(topology, settings, layout, "h2"));
        var refusal = Assert.Throws<InvalidTrafficRequestException>(() => handler.InjectFrames(Frames(Described(_ => { })), Now, End));
        Assert.Equal("node", refusal.Field);
        Assert.Contains("coordinator", refusal.Message);
    }

    private static void AssertRefused(string field, Action<LiveTrafficHandler> call)
    {
        var topology = TopologyFile.Load(Line, TextWriter.Null);
        var partition = PartitionBuilder.Build(topology, TopologyFile.SettingsFor(topology, null, null));
        var handler = new LiveTrafficHandler(topology, partition);
        var refusal = Assert.Throws<InvalidTrafficRequestException>(() => call(handler));
        Assert.Equal(field, refusal.Field);
        Assert.StartsWith(field + ": ", refusal.Message);
        // Refused whole: nothing was accepted, no stream was created.
        foreach (var host in partition.Nodes.OfType<Core.Nodes.Host>())
        {
            Assert.Equal(0, host.Live.Accepted);
            Assert.Empty(host.Live.Streams);
        }
    }
}
