using TsnSim.Core.Time;

namespace TsnSim.Tests.Time;

public class SimTimeTests
{
    [Theory]
    [InlineData("500ns", 500_000L)]
    [InlineData("1.5us", 1_500_000L)]
    [InlineData("1.5µs", 1_500_000L)]
    [InlineData("10ms", 10_000_000_000L)]
    [InlineData("2s", 2_000_000_000_000L)]
    [InlineData("1e-6s", 1_000_000L)]
    [InlineData("2.5E3ns", 2_500_000L)]
    [InlineData("250ps", 250L)]
    [InlineData("0", 0L)]
    [InlineData(" 7 us ", 7_000_000L)]
    public void ParsesDurationsWithUnitsToExactPicoseconds(string text, long picoseconds) =>
        Assert.Equal(picoseconds, SimTime.Parse(text).Picoseconds);

    [Theory]
    [InlineData(1_500_000L, "1.5us")]
    [InlineData(500_000L, "500ns")]
    [InlineData(10_000_000_000L, "10ms")]
    [InlineData(2_000_000_000_000L, "2s")]
    [InlineData(1_234_567L, "1.234567us")]
    [InlineData(999L, "999ps")]
    [InlineData(0L, "0s")]
    [InlineData(-3_000L, "-3ns")]
    public void PrintsInTheLargestWholeUnitWithoutRounding(long picoseconds, string text) =>
        Assert.Equal(text, new SimTime(picoseconds).ToString());

    [Theory]
    [InlineData(1L)]
    [InlineData(123_456_789_012L)]
    [InlineData(86_400_000_000_000_000L)]
    public void PrintedTimesParseBackToTheSameValue(long picoseconds) =>
        Assert.Equal(picoseconds, SimTime.Parse(new SimTime(picoseconds).ToString()).Picoseconds);

    [Theory]
    [InlineData("", "empty")]
    [InlineData("10", "no time unit")]
    [InlineData("fast", "no time unit")]
    [InlineData("1.5ps", "whole number of picoseconds")]
    [InlineData("1e-13s", "whole number of picoseconds")]
    [InlineData("ten ms", "not a number")]
    [InlineData("200000000s", "too long")]
    public void RejectsMalformedDurationsSayingWhy(string text, string reason)
    {
        Assert.False(SimTime.TryParse(text, out _, out var error));
        Assert.Contains(reason, error);
    }
}
