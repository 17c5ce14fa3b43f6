using TsnSim.Core.Frames;

namespace TsnSim.Tests.Frames;

public class FramePoolTests
{
    [Theory]
    [InlineData(60, 128)]
    [InlineData(128, 128)]
    [InlineData(129, 256)]
    [InlineData(1514, 2048)]
    [InlineData(9212, 9212)]
    public void AFrameGetsTheSmallestBufferThatHoldsIt(int length, int buffer) =>
        Assert.Equal(buffer, new FramePool().Rent(length).Buffer.Length);

    [Fact]
    public void ReturnedFramesAreReusedInsteadOfAllocated()
    {
        var pool = new FramePool();
        var frames = Enumerable.Range(0, 10).Select(_ => pool.Rent(1500)).ToList();
        foreach (var f in frames) pool.Return(f);
        for (int i = 0; i < 10; i++) pool.Rent(1200);
        Assert.Equal(10, pool.Allocated);
    }

    [Fact]
    public void RefusesAFrameLongerThanAJumboFrame()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new FramePool().Rent(9213));
        Assert.Contains("9212-byte maximum", error.Message);
    }
}
