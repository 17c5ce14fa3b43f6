using TsnSim.Core.Distributed;
using TsnSim.Core.Simulation;
using TsnSim.Core.Time;
using TsnSim.Tests.Support;

namespace TsnSim.Tests.Distributed;

/// <summary>A frame earlier than its link's promise would silently change the run: it is refused, loudly.</summary>
public class BrokenPromiseTests
{
    private static InboundLink InboundOfB()
    {
        var topology = new TestNetwork().Host("a").Host("b")
            .Link("a:eth0", "b:eth0", DataRate.Parse("1Gbps"), SimTime.Parse("1us"))
            .Build(SimTime.Parse("1ms"));
        var settings = new RunSettings(1, topology.Duration!.Value, SimTime.Zero);
        var partition = PartitionBuilder.Build(topology, settings, PartitionLayout.OnePerNode(topology), "b");
        return Assert.Single(partition.InboundLinks);
    }

    [Fact]
    public void BeforeAnyPromiseTheLinkLookaheadIsPromised()
    {
        // 1 us of delay plus a 64-byte frame's last bit (72 B × 8 ns): nothing can arrive sooner.
        Assert.Equal(1_000_000 + 576_000, InboundOfB().PromisedPs);
    }

    [Fact]
    public void AFrameEarlierThanThePromiseIsRefused()
    {
        var link = InboundOfB();
        link.Promise(10_000_000);
        var error = Assert.Throws<InvalidOperationException>(() => link.Deliver(new byte[60], 9_999_999, 0, 0, 1, -1, 0, 0, 0));
        Assert.Contains("broken promise", error.Message);
    }

    [Fact]
    public void AFrameAtThePromiseIsTakenAndRaisesIt()
    {
        var link = InboundOfB();
        link.Promise(10_000_000);
        link.Deliver(new byte[60], 12_000_000, 0, 0, 1, -1, 0, 0, 0);
        Assert.Equal(12_000_000, link.PromisedPs);
    }
}
