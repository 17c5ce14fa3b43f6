using TsnSim.Core.Distributed;
using TsnSim.Core.Frames;
using TsnSim.Core.Simulation;
using TsnSim.Core.Time;
using TsnSim.Hosting.Traffic;
using TsnSim.Protos.Traffic;
using TsnSim.Tests.Support;

namespace TsnSim.Tests.Traffic;

/// <summary>
/// Injected traffic enters the model exactly when the request says, and then obeys the same
/// timing as every other frame: checked against the store-and-forward formula, hop by hop.
/// </summary>
public class InjectionTimingTests
{
    private static readonly DataRate Gigabit = DataRate.FromGigabits(1);
    private static readonly SimTime Propagation = SimTime.FromMicroseconds(1);
    private static readonly SimTime Processing = SimTime.FromMicroseconds(2);

    private static Core.Topology.TopologyConfig HostSwitchHost() => new TestNetwork()
        .Host("h1").Switch("sw1", 2, Processing).Host("h2")
        .Link("h1:eth0", "sw1:eth0", Gigabit, Propagation)
        .Link("sw1:eth1", "h2:eth0", Gigabit, Propagation)
        .Build(SimTime.FromMilliseconds(1));

    /// <summary>Last bit of a frame of <paramref name="bytesWithFcs"/> after its first: preamble and SFD, frame, FCS at the line rate.</summary>
    private static SimTime LastBit(int bytesWithFcs) => new((bytesWithFcs + 8) * 8 * SimTime.PicosecondsPerSecond / Gigabit.BitsPerSecond);

    [Fact]
    public void AFrameInjectedAtAnAbsoluteTimeArrivesWhenStoreAndForwardSaysItDoes()
    {
        var topology = HostSwitchHost();
        var hops = new HopCollector();
        var settings = new RunSettings(1, topology.Duration!.Value, topology.Drain) { FrameLog = hops };
        var at = SimTime.FromMicroseconds(100);
        long id = 0;
        var report = SingleProcessRun.Execute(topology, settings, partition =>
        {
            var reply = new LiveTrafficHandler(topology, partition).InjectFrames(new InjectFramesRequest
            {
                Node = "h1",
                When = new When { AtPs = at.Picoseconds },
                Frames = { new FrameSpec { Described = new DescribedFrame { DestinationNode = "h2", PayloadSize = 100, Application = "probe" } } },
            }, 0, settings.Duration);
            Assert.Equal(at.Picoseconds, reply.EffectivePs);
            id = Assert.Single(reply.FrameIds);
        });

        // Ethernet II header, the 32-byte stream header, 100 payload bytes, FCS.
        int wireBytes = 14 + StreamPayload.Length + 100 + 4;
        var path = hops.Hops.Where(h => h.Hop.FrameId == id).ToList();
        Assert.Equal(["sw1", "h2"], path.Select(h => h.Node));
        Assert.Equal(at.Picoseconds, path[0].Hop.TransmitStartPs);
        var atSwitch = at + LastBit(wireBytes) + Propagation;
        Assert.Equal(atSwitch.Picoseconds, path[0].Hop.ArrivalPs);
        Assert.Equal((atSwitch + Processing).Picoseconds, path[1].Hop.TransmitStartPs);
        var arrival = atSwitch + Processing + LastBit(wireBytes) + Propagation;
        Assert.Equal(arrival.Picoseconds, path[1].Hop.ArrivalPs);
        // The application's frames are a stream of the report, named after their talker, measured like any other.
        var probe = Assert.Single(report.Streams, s => s.Name == "h1/probe");
        Assert.Equal((1L, 1L, "h1"), (probe.Sent, probe.Received, probe.Talker));
        Assert.Equal(["h2"], probe.Listeners);
        Assert.Equal((arrival - at).Picoseconds / 1000.0, probe.Latency!.Max);
    }

    [Fact]
    public void FramesOfOneRequestLeaveBackToBackAtTheLineRate()
    {
        var topology = HostSwitchHost();
        var hops = new HopCollector();
        var settings = new RunSettings(1, topology.Duration!.Value, topology.Drain) { FrameLog = hops };
        var at = SimTime.FromMicroseconds(10);
        long[] ids = [];
        SingleProcessRun.Execute(topology, settings, partition =>
        {
            var request = new InjectFramesRequest { Node = "h1", When = new When { AtPs = at.Picoseconds } };
            for (int i = 0; i < 3; i++)
                request.Frames.Add(new FrameSpec { Raw = Google.Protobuf.ByteString.CopyFrom(RawFrame(1000)) });
            ids = new LiveTrafficHandler(topology, partition).InjectFrames(request, 0, settings.Duration).FrameIds.ToArray();
        });
        // Each frame starts when the one before has left with its inter-frame gap: (8 + 1004 + 12) bytes.
        var wire = new SimTime((8 + 1004 + 12) * 8 * 1000);
        for (int i = 0; i < 3; i++)
            Assert.Equal((at + wire * i).Picoseconds, hops.Hops.Single(h => h.Node == "sw1" && h.Hop.FrameId == ids[i]).Hop.TransmitStartPs);
    }

    [Fact]
    public void AStartedStreamSendsEveryPeriodFromItsStartUntilStopped()
    {
        var topology = HostSwitchHost();
        var hops = new HopCollector();
        var settings = new RunSettings(1, topology.Duration!.Value, topology.Drain) { FrameLog = hops };
        var start = SimTime.FromMicroseconds(50);
        var period = SimTime.FromMicroseconds(20);
        var stop = SimTime.FromMicroseconds(130);
        int stream = 0;
        SingleProcessRun.Execute(topology, settings, partition =>
        {
            var handler = new LiveTrafficHandler(topology, partition);
            stream = handler.StartStream(new StartStreamRequest
            {
                Node = "h1", Name = "live", When = new When { AtPs = start.Picoseconds }, PeriodPs = period.Picoseconds, Size = 128, DestinationNode = "h2",
            }, 0, settings.Duration).Stream;
            handler.StopStream(new StopStreamRequest { Node = "h1", Name = "live", When = new When { AtPs = stop.Picoseconds } }, 0, settings.Duration);
        });
        // Frames at 50, 70, 90, 110 and 130 us: at one instant applications act before injections, so the stop comes after the frame at 130 us.
        var sent = hops.Hops.Where(h => h.Node == "sw1" && h.Hop.StreamIndex == stream).Select(h => h.Hop.TransmitStartPs).ToList();
        Assert.Equal([50, 70, 90, 110, 130], sent.Select(ps => ps / SimTime.PicosecondsPerMicrosecond));
    }

    /// <summary>A frame to h2's MAC from h1's, EtherType 0x88B5, zero payload: <paramref name="length"/> bytes without FCS.</summary>
    private static byte[] RawFrame(int length)
    {
        var bytes = new byte[length];
        new EthernetHeader(new MacAddress(0x0200_0000_0003UL), new MacAddress(0x0200_0000_0001UL), null, EtherTypes.LocalExperimental1).Write(bytes);
        return bytes;
    }
}
