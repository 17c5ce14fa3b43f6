using TsnSim.Core.Frames;
using TsnSim.Core.Time;

namespace TsnSim.Tests.Time;

/// <summary>Wire time = (frame incl. FCS + 8 preamble/SFD + 12 IFG) × 8 / rate, against values worked out by hand.</summary>
public class WireTimeTests
{
    [Theory]
    // 64 B at 100 Mb/s: 84 B × 80 ns = 6720 ns.
    [InlineData(64, "100Mbps", 6_720_000L)]
    // 1518 B at 100 Mb/s: 1538 × 80 ns = 123040 ns.
    [InlineData(1518, "100Mbps", 123_040_000L)]
    // 64 B at 1 Gb/s: 84 × 8 ns = 672 ns.
    [InlineData(64, "1Gbps", 672_000L)]
    // 1500 B at 1 Gb/s: 1520 × 8 ns = 12160 ns.
    [InlineData(1500, "1Gbps", 12_160_000L)]
    // 1500 B at 2.5 Gb/s: 1520 × 3.2 ns = 4864 ns.
    [InlineData(1500, "2.5Gbps", 4_864_000L)]
    // 64 B at 2.5 Gb/s: 84 × 3.2 ns = 268.8 ns.
    [InlineData(64, "2.5Gbps", 268_800L)]
    // 1518 B at 10 Gb/s: 1538 × 0.8 ns = 1230.4 ns.
    [InlineData(1518, "10Gbps", 1_230_400L)]
    // 64 B at 10 Gb/s: 84 × 0.8 ns = 67.2 ns.
    [InlineData(64, "10Gbps", 67_200L)]
    public void MatchesHandComputedValues(int frameBytes, string rate, long expectedPicoseconds) =>
        Assert.Equal(expectedPicoseconds, Ethernet.WireTime(frameBytes, DataRate.Parse(rate)).Picoseconds);

    [Fact]
    public void LastBitArrivesBeforeTheInterFrameGapEnds()
    {
        var rate = DataRate.Parse("1Gbps");
        // The IFG is 12 idle bytes after the FCS: 96 ns at 1 Gb/s.
        Assert.Equal(96_000L, (Ethernet.WireTime(100, rate) - Ethernet.TimeToLastBit(100, rate)).Picoseconds);
    }

    [Theory]
    [InlineData("1Gbps", 1_000_000_000L)]
    [InlineData("2.5Gb/s", 2_500_000_000L)]
    [InlineData("100Mbps", 100_000_000L)]
    [InlineData("400G", 400_000_000_000L)]
    [InlineData("10000000", 10_000_000L)]
    public void ParsesRates(string text, long bitsPerSecond) =>
        Assert.Equal(bitsPerSecond, DataRate.Parse(text).BitsPerSecond);

    [Theory]
    [InlineData("0Gbps", "not positive")]
    [InlineData("-1Gbps", "not positive")]
    [InlineData("fast", "not a rate")]
    public void RejectsBadRates(string text, string reason)
    {
        Assert.False(DataRate.TryParse(text, out _, out var error));
        Assert.Contains(reason, error);
    }
}
