using TsnSim.Core.Frames;
using TsnSim.Core.Links;
using TsnSim.Core.Telemetry;
using TsnSim.Core.Time;
using TsnSim.Tests.Ptp;

namespace TsnSim.Tests.Tsn;

/// <summary>
/// Launch time (SO_TXTIME with etf) against the node's clock: a frame leaves when its clock
/// reads handoff + the delay, so with a clock 100 ppm fast, exactly delay / (1 + 10⁻⁴) of true
/// time after its handoff; one whose time passed behind another frame is dropped and counted,
/// or, in deadline mode, sent at once.
/// </summary>
public class LaunchTimeTests
{
    private sealed class Starts : IFrameCapture
    {
        public List<(long CreatedPs, long StartPs, int Pcp)> Sent { get; } = [];

        public void OnFrame(Port port, Frame frame, SimTime firstBit, bool outbound)
        {
            if (outbound && port.Owner.Name == "h1") Sent.Add((frame.CreatedAt.Picoseconds, firstBit.Picoseconds, frame.Bytes[12] == 0x81 ? frame.Bytes[14] >> 5 : 0));
        }
    }

    private static string Pair(string launch, bool bulk, string etf = "") => $$"""
        name: launch
        duration: 20ms
        defaults: { link: { rate: 1Gbps } }
        nodes:
          h1: { kind: host, ports: { eth0: { egress: { num_tc: 2, map: [0, 0, 0, 0, 0, 0, 1]{{etf}} } } }, clock: { ppm: 100 } }
          h2: { kind: host, ports: 1 }
        links:
          - { endpoints: ["h1:eth0", "h2:eth0"] }
        streams:
          - { name: timed, talker: h1, listeners: [h2], period: 101us, size: 200, vlan: 10, pcp: 6, launch_time: {{launch}} }
        {{(bulk ? "  - { name: bulk, talker: h1, listeners: [h2], rate: 900Mbps, size: 1500 }" : "")}}
        """;

    [Fact]
    public void AFrameLeavesWhenItsNodesClockReadsItsLaunchTime()
    {
        var starts = new Starts();
        var report = GptpNetwork.Run(Pair("37us", bulk: false), starts).Report;
        Assert.Equal(report.Streams[0].Sent, starts.Sent.Count);
        // The clock reads t × (1 + 10⁻⁴): 37 µs on it pass in 37 µs / 1.0001 of true time.
        double expected = 37e6 / 1.0001;
        Assert.All(starts.Sent, s => Assert.InRange(s.StartPs - s.CreatedPs, expected - 1, expected + 1));
    }

    [Theory]
    [InlineData("clockid CLOCK_TAI delta 5000 offload", 37.0)]
    [InlineData("tc qdisc replace dev eth0 parent 100:2 etf clockid CLOCK_TAI delta 5000", 32.0)]
    // deadline_mode: the time is a deadline, and the frame goes as soon as it is at the head (Linux's etf_dequeue_timesortedlist).
    [InlineData("clockid CLOCK_TAI delta 5000 offload deadline_mode", 0.0)]
    public void OffloadedEtfLaunchesAtTheTimeAndSoftwareEtfHandsOnDeltaEarly(string etf, double leavesAfterUs)
    {
        // tc-etf(8): etf hands a frame on delta before its txtime; with offload the NIC still launches it at txtime.
        // No scheduling latency is modelled, so without offload the frame leaves exactly delta (5 µs) early.
        var starts = new Starts();
        GptpNetwork.Run(Pair("37us", bulk: false, $", etf: {{ 1: \"{etf}\" }}"), starts);
        double expected = leavesAfterUs * 1e6 / 1.0001;
        Assert.NotEmpty(starts.Sent);
        Assert.All(starts.Sent, s => Assert.InRange(s.StartPs - s.CreatedPs, expected - 1, expected + 1));
    }

    [Fact]
    public void AnEtfClassInDeadlineModeStillDropsFramesPastTheirDeadline()
    {
        // 1 µs deadlines behind 12.16 µs bulk frames: Linux's etf drops a frame that expired while queued, deadline_mode or not.
        var report = GptpNetwork.Run(Pair("1us", bulk: true, ", etf: { 1: \"clockid CLOCK_TAI delta 0 offload deadline_mode\" }")).Report;
        var timed = report.Streams.Single(s => s.Name == "timed");
        long drops = report.Ports.Single(p => p is { Node: "h1", Port: "eth0" }).LaunchTimeDrops;
        Assert.True(drops > 0);
        Assert.Equal(timed.Sent, timed.Received + drops);
    }

    [Fact]
    public void AFramePastItsTimeIsDroppedAndCountedOrInDeadlineModeSentAtOnce()
    {
        // 1 µs after handoff, behind 1500-byte frames of a lower class that take 12.16 µs each: often too late.
        var starts = new Starts();
        var network = GptpNetwork.Run(Pair("1us", bulk: true), starts);
        var timed = network.Report.Streams.Single(s => s.Name == "timed");
        long drops = network.Report.Ports.Single(p => p is { Node: "h1", Port: "eth0" }).LaunchTimeDrops;
        Assert.True(drops > 0 && timed.Received > 0, $"{drops} dropped, {timed.Received} received");
        Assert.Equal(timed.Sent, timed.Received + drops);
        // Those that went, went at their time.
        double expected = 1e6 / 1.0001;
        Assert.All(starts.Sent.Where(s => s.Pcp == 6), s => Assert.InRange(s.StartPs - s.CreatedPs, expected - 1, expected + 1));

        var deadline = new Starts();
        var lenient = GptpNetwork.Run(Pair("{ after: 1us, deadline_mode: true }", bulk: true), deadline);
        var all = lenient.Report.Streams.Single(s => s.Name == "timed");
        Assert.Equal(all.Sent, all.Received);
        Assert.Equal(0, lenient.Report.Ports.Single(p => p is { Node: "h1", Port: "eth0" }).LaunchTimeDrops);
        // Late ones go as soon as the frame ahead has finished: never before their time, at most one bulk frame after it.
        double bulkFrame = Ethernet.WireTime(1500, DataRate.Parse("1Gbps")).Picoseconds;
        Assert.All(deadline.Sent.Where(s => s.Pcp == 6), s => Assert.InRange(s.StartPs - s.CreatedPs, expected - 1, expected + bulkFrame));
        Assert.Contains(deadline.Sent, s => s.Pcp == 6 && s.StartPs - s.CreatedPs > expected + 1);
    }
}
