using TsnSim.Core.Distributed;
using TsnSim.Core.Simulation;
using TsnSim.Core.Time;
using TsnSim.Hosting;
using TsnSim.Hosting.Traffic;
using TsnSim.Protos.Traffic;
using TsnSim.Tests.Topology;

namespace TsnSim.Tests.Traffic;

/// <summary>
/// Live traffic keeps the simulation one deterministic run: the same injections, accepted in
/// the same order, give the same frames_digest whether the nodes share a process or not, and
/// in whatever order the partitions' messages arrive.
/// </summary>
public class InjectionLayoutIndependenceTests
{
    private static readonly string Line = Path.Combine(RepositoryFiles.Root, "topologies", "line.yaml");

    /// <summary>Frames from both hosts, an application's burst, a stream started and stopped: every kind of injection.</summary>
    private static void Inject(Core.Topology.TopologyConfig topology, Partition partition, SimTime end)
    {
        var handler = new LiveTrafficHandler(topology, partition);
        void Frames(string node, long atUs, string to, uint pcp, int count)
        {
            if (!handler.Owns(node)) return;
            var request = new InjectFramesRequest { Node = node, When = new When { AtPs = atUs * SimTime.PicosecondsPerMicrosecond } };
            for (int i = 0; i < count; i++)
                request.Frames.Add(new FrameSpec { Described = new DescribedFrame { DestinationNode = to, Pcp = pcp, Vlan = 10, PayloadSize = 200, Application = "app" } });
            handler.InjectFrames(request, 0, end);
        }
        Frames("h1", 1_000, "h2", 7, 5);
        Frames("h2", 1_000, "h1", 7, 3);
        Frames("h1", 2_500, "h2", 0, 20);
        if (handler.Owns("h2"))
        {
            handler.StartStream(new StartStreamRequest { Node = "h2", Name = "back", When = new When { AtPs = 3 * SimTime.PicosecondsPerMillisecond }, PeriodPs = 50 * SimTime.PicosecondsPerMicrosecond, Size = 300, DestinationNode = "h1", Pcp = 5, Vlan = 10 }, 0, end);
            handler.StopStream(new StopStreamRequest { Node = "h2", Name = "back", When = new When { AtPs = 7 * SimTime.PicosecondsPerMillisecond } }, 0, end);
        }
    }

    [Fact]
    public void InjectionsGiveTheSameDigestInOneProcessAndOnePartitionPerNode()
    {
        var topology = TopologyFile.Load(Line, TextWriter.Null);
        var settings = TopologyFile.SettingsFor(topology, null, null);
        var plain = SingleProcessRun.Execute(topology, settings);
        var single = SingleProcessRun.Execute(topology, settings, p => Inject(topology, p, settings.Duration));
        var split = InMemoryDistributedRun.Execute(topology, settings, PartitionLayout.OnePerNode(topology), shuffleSeed: 5, prepare: p => Inject(topology, p, settings.Duration));
        Assert.NotEqual(plain.FramesDigest, single.FramesDigest);
        Assert.Equal(single.FramesDigest, split.FramesDigest);
        Assert.Equal(single.Hops, split.Hops);
    }
}
