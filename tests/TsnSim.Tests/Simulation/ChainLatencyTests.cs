using TsnSim.Core.Simulation;
using TsnSim.Core.Telemetry;
using TsnSim.Core.Time;
using TsnSim.Core.Topology;
using TsnSim.Tests.Support;

namespace TsnSim.Tests.Simulation;

/// <summary>
/// Store-and-forward latency through a chain, against the analytic sum: on every link the last
/// bit arrives (preamble + frame incl. FCS) × 8 / rate plus the propagation delay after the
/// transmission starts, and every bridge adds its processing delay.
/// </summary>
public class ChainLatencyTests
{
    private static long LastBitPs(int frameBytes, long bitsPerSecond) => (frameBytes + 8) * 8 * 1_000_000_000_000L / bitsPerSecond;

    private static RunReport RunChain(int frameBytes, string rate, string delay, string processing, long count, string period)
    {
        var stream = new StreamConfig("s", "h1", ["h2"], SimTime.Parse(period), frameBytes) { Count = count };
        var network = new TestNetwork()
            .Host("h1").Switch("sw1", 2, SimTime.Parse(processing)).Switch("sw2", 2, SimTime.Parse(processing))
            .Switch("sw3", 2, SimTime.Parse(processing)).Host("h2")
            .Link("h1:eth0", "sw1:eth0", DataRate.Parse(rate), SimTime.Parse(delay))
            .Link("sw1:eth1", "sw2:eth0", DataRate.Parse(rate), SimTime.Parse(delay))
            .Link("sw2:eth1", "sw3:eth0", DataRate.Parse(rate), SimTime.Parse(delay))
            .Link("sw3:eth1", "h2:eth0", DataRate.Parse(rate), SimTime.Parse(delay))
            .Stream(stream);
        var topology = network.Build(SimTime.Parse("1ms"));
        return SingleProcessRun.Execute(topology, new RunSettings(1, topology.Duration!.Value, SimTime.Parse("10ms")));
    }

    [Theory]
    [InlineData(64, "1Gbps", 1_000_000_000L, "500ns", 500_000L, "2us", 2_000_000L)]
    [InlineData(1500, "1Gbps", 1_000_000_000L, "1us", 1_000_000L, "1.5us", 1_500_000L)]
    [InlineData(128, "2.5Gbps", 2_500_000_000L, "37ns", 37_000L, "800ns", 800_000L)]
    [InlineData(1522, "100Mbps", 100_000_000L, "5us", 5_000_000L, "0", 0L)]
    public void OneFrameTakesTheAnalyticSumToThePicosecond(int size, string rate, long bps, string delay, long delayPs, string processing, long processingPs)
    {
        var report = RunChain(size, rate, delay, processing, count: 1, period: "100us");
        long expected = 4 * (LastBitPs(size, bps) + delayPs) + 3 * processingPs;
        var stream = Assert.Single(report.Streams);
        Assert.Equal(1, stream.Received);
        Assert.Equal(expected / 1000.0, stream.Latency!.Min);
        Assert.Equal(expected / 1000.0, stream.Latency.Max);
    }

    [Fact]
    public void BackToBackFramesQueueBehindEachOtherInTheFifo()
    {
        // A period shorter than the wire time: every frame after the first waits at the talker's port.
        // Frame k leaves k wire times (1500 B + 20 B at 1 Gb/s = 12.16 us) after frame 0 and
        // then never waits again, because each hop frees up exactly as the next frame is ready.
        var report = RunChain(1500, "1Gbps", "1us", "1us", count: 4, period: "1ns");
        long first = 4 * (LastBitPs(1500, 1_000_000_000L) + 1_000_000) + 3 * 1_000_000;
        const long wirePs = 1520 * 8 * 1000;
        const long periodPs = 1000;
        var stream = Assert.Single(report.Streams);
        Assert.Equal(4, stream.Received);
        Assert.Equal(first / 1000.0, stream.Latency!.Min);
        // Frame 3 was created 3 ns after frame 0 and left 3 wire times after it.
        Assert.Equal((first + 3 * (wirePs - periodPs)) / 1000.0, stream.Latency.Max);
        var talkerPort = report.Ports.Single(p => p.Node == "h1");
        Assert.Equal(3, talkerPort.MaxQueueDepth);
    }
}
