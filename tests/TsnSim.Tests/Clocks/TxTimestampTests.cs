using TsnSim.Core.Frames;
using TsnSim.Core.Time;
using TsnSim.Tests.Ptp;

namespace TsnSim.Tests.Clocks;

/// <summary>
/// Applications' Tx timestamps, against 802.3's timing: the NIC stamps a frame as its
/// start-of-frame delimiter passes the latch, so on an idle port the stamp comes one preamble
/// and SFD (8 bytes) after the handoff, on the node's clock; a frame handed over behind another
/// waits that frame's whole wire time (preamble, frame, FCS, inter-frame gap) first.
/// </summary>
public class TxTimestampTests
{
    private static string Pair(string rate, string clock, string streams) => $$"""
        name: tx-timestamps
        duration: 10ms
        defaults: { timestamps: { granularity: 0ns }, link: { rate: {{rate}} } }
        nodes:
          h1: { kind: host, ports: 1, clock: {{clock}} }
          h2: { kind: host, ports: 1 }
        links:
          - { endpoints: ["h1:eth0", "h2:eth0"], delay: 100ns }
        streams:
        {{streams}}
        """;

    [Theory]
    [InlineData("1Gbps", "{ ppm: 0 }", 64_000L)]
    [InlineData("100Mbps", "{ ppm: 0 }", 640_000L)]
    // A clock 100 ppm fast reads the same 64 ns as 64.0064 ns.
    [InlineData("1Gbps", "{ ppm: 100 }", 64_006L)]
    public void OnAnIdlePortTheStampComesOnePreambleAfterTheHandoff(string rate, string clock, long expectedPs)
    {
        var network = GptpNetwork.Run(Pair(rate, clock, "  - { name: s, talker: h1, listeners: [h2], period: 100us, size: 200, tx_timestamps: true }"));
        var stream = Assert.Single(network.Report.Streams);
        var tx = stream.TxTimestamp!;
        Assert.Equal(100, stream.Sent);
        Assert.Equal(expectedPs / 1000.0, tx.Min, 3);
        Assert.Equal(expectedPs / 1000.0, tx.Max, 3);
    }

    [Fact]
    public void AFrameHandedOverBehindAnotherWaitsItsWholeWireTime()
    {
        var network = GptpNetwork.Run(Pair("1Gbps", "{ ppm: 0 }", """
              - { name: big, talker: h1, listeners: [h2], period: 100us, size: 1000, tx_timestamps: true }
              - { name: small, talker: h1, listeners: [h2], period: 100us, size: 200, tx_timestamps: true }
            """));
        var figures = network.Report.Streams.ToDictionary(s => s.Name, s => s.TxTimestamp!);
        // Both are handed over at the same instants; one leaves at once, the other after it.
        double preamble = 64;
        double big = Ethernet.WireTime(1000, DataRate.Parse("1Gbps")).Picoseconds / 1000.0, small = Ethernet.WireTime(200, DataRate.Parse("1Gbps")).Picoseconds / 1000.0;
        var first = figures.Single(f => Math.Abs(f.Value.Max - preamble) < 1e-3).Key;
        var second = figures.Keys.Single(k => k != first);
        Assert.Equal(preamble, figures[first].Min, 3);
        double wait = first == "big" ? big : small;
        Assert.Equal(preamble + wait, figures[second].Min, 3);
        Assert.Equal(preamble + wait, figures[second].Max, 3);
        // A stream that does not ask has no Tx timestamps in the report.
        var plain = GptpNetwork.Run(Pair("1Gbps", "{ ppm: 0 }", "  - { name: s, talker: h1, listeners: [h2], period: 100us, size: 200 }"));
        Assert.Null(Assert.Single(plain.Report.Streams).TxTimestamp);
    }
}
