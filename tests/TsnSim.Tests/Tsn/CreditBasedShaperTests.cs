using TsnSim.Core.Frames;
using TsnSim.Core.Time;
using TsnSim.Core.Tsn;
using TsnSim.Tests.Ptp;

namespace TsnSim.Tests.Tsn;

/// <summary>
/// 802.1Qav against its analytic properties: a class offered more than its idle slope gets its
/// idle slope of the wire over the long run (within 1 %), and its credit stays within the
/// bounds 802.1Q derives (Annex L): down to a frame's time at the send slope, up to one
/// interfering frame's time at the idle slope; tc-cbs's parameters read as tc writes them.
/// </summary>
public class CreditBasedShaperTests
{
    private static readonly DataRate Gigabit = DataRate.Parse("1Gbps");

    /// <summary>
    /// h1 → h2 for 200 ms with no drain, two classes on h1's port (PCP 6 → class 1) and the given
    /// egress lines besides; a 600 Mb/s PCP 6 stream of <paramref name="size"/>-byte frames and
    /// 1 Gb/s of best effort, so the reserved class always has frames waiting.
    /// </summary>
    private static string Shaped(string egress, int size) => $$"""
        name: cbs
        duration: 200ms
        drain: 0s
        defaults: { link: { rate: 1Gbps } }
        nodes:
          h1:
            kind: host
            ports:
              eth0:
                egress:
                  num_tc: 2
                  map: [0, 0, 0, 0, 0, 0, 1]
        {{string.Join("\n", egress.Split('\n').Select(l => "          " + l))}}
          h2: { kind: host, ports: 1 }
        links:
          - { endpoints: ["h1:eth0", "h2:eth0"] }
        streams:
          - { name: reserved, talker: h1, listeners: [h2], rate: 600Mbps, size: {{size}}, vlan: 10, pcp: 6 }
          - { name: bulk, talker: h1, listeners: [h2], rate: 1Gbps, size: 1500 }
        """;

    [Theory]
    [InlineData(200_000L, 1000)]
    [InlineData(50_000L, 300)]
    public void AClassOfferedMoreGetsItsIdleSlopeAndItsCreditStaysWithinTheAnalyticBounds(long idleKbps, int size)
    {
        long sendKbps = idleKbps - 1_000_000;
        // Bounds wide enough never to bind, so the credit's own course is what is measured; no drain, so
        // the port is counted over exactly the 200 ms both classes kept it busy.
        var yaml = Shaped($"cbs: {{ 1: \"idleslope {idleKbps} sendslope {sendKbps} hicredit 1000000 locredit -1000000\" }}", size);
        var network = GptpNetwork.Run(yaml);
        var port = network.Node("h1").Ports[0];
        double reservedWireBits = port.ClassTxFrames![1] * (double)(size + Ethernet.PreambleAndSfdBytes + Ethernet.InterFrameGapBytes) * 8;
        double rate = reservedWireBits / 0.2;
        Assert.InRange(rate, idleKbps * 1e3 * 0.99, idleKbps * 1e3 * 1.01);
        // Best effort takes what is left: the link stays full.
        double bulkWireBits = port.ClassTxFrames[0] * (1500.0 + 20) * 8;
        Assert.True(reservedWireBits + bulkWireBits >= 0.99 * 0.2 * 1e9, $"{reservedWireBits + bulkWireBits} bits in 200 ms");
        var shaper = SelectionOf(port).ShaperOf(1)!;
        double frameBits = (size + 20) * 8.0, interferenceBits = (1500 + 20) * 8.0;
        Assert.InRange(shaper.MinCreditBits, frameBits * sendKbps / 1e6 - 1e-6, 0);
        Assert.InRange(shaper.MaxCreditBits, 0, interferenceBits * idleKbps / 1e6 + 1e-6);
        // And it reaches near both: the bounds are the right ones, not merely safe.
        Assert.True(shaper.MinCreditBits < 0.9 * frameBits * sendKbps / 1e6, $"min credit {shaper.MinCreditBits}");
        Assert.True(shaper.MaxCreditBits > 0.5 * interferenceBits * idleKbps / 1e6, $"max credit {shaper.MaxCreditBits}");
    }

    [Fact]
    public void CreditDoesNotGrowWhileTheGateIsClosed()
    {
        // Class 1's gate is open half of each 100 µs cycle (class 0's all the time). Credit accrues only
        // while the gate is open, so the class gets the idle slope times the open share: 200 Mb/s × 0.5.
        var yaml = Shaped("""
            schedule: { entries: ["S 03 50000", "S 01 50000"] }
            cbs: { 1: { idleslope: 200000, sendslope: -800000, hicredit: 1000000, locredit: -1000000 } }
            """, 500);
        var port = GptpNetwork.Run(yaml).Node("h1").Ports[0];
        double rate = port.ClassTxFrames![1] * (500.0 + 20) * 8 / 0.2;
        Assert.InRange(rate, 100e6 * 0.99, 100e6 * 1.01);
    }

    private static TransmissionSelection SelectionOf(Core.Links.Port port) =>
        (TransmissionSelection)typeof(Core.Links.Port).GetField("_selection", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(port)!;

    [Fact]
    public void TcCbsParametersReadAsTcWritesThemAndMatchAnnexL()
    {
        var errors = new List<TaprioSyntax.Error>();
        var cbs = CbsSyntax.Parse("tc qdisc replace dev eth0 parent 100:1 cbs idleslope 20000 sendslope -980000 hicredit 30 locredit -1470 offload 0", errors);
        Assert.Empty(errors);
        Assert.Equal(new CreditBasedShaperConfig(20000, -980000, 30, -1470), cbs);
        // 802.1Q Annex L for 1 Gb/s and 1500-byte frames: sendslope = idleslope − rate, hicredit = 1500 × idle/rate, locredit = 1500 × send/rate.
        Assert.Equal(cbs!.IdleSlopeKbps - 1_000_000, cbs.SendSlopeKbps);
        Assert.Equal(1500 * cbs.IdleSlopeKbps / 1_000_000, cbs.HiCreditBytes);
        Assert.Equal(1500 * cbs.SendSlopeKbps / 1_000_000, cbs.LoCreditBytes);
        CbsSyntax.Parse("idleslope 20000 sendslope -980000 hicredt 30", errors);
        Assert.Contains(errors, e => e.Message.Contains("unknown word 'hicredt'", StringComparison.Ordinal));
    }
}
