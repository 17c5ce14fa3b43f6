using TsnSim.Core.Simulation;
using TsnSim.Core.Telemetry;
using TsnSim.Core.Topology;
using TsnSim.Hosting;

namespace TsnSim.Tests.Ptp;

/// <summary>A gPTP topology run in process, with its partition kept so tests can read the nodes' PTP state.</summary>
internal sealed class GptpNetwork
{
    private GptpNetwork(TopologyConfig topology, Partition partition, RunReport report)
    {
        Topology = topology;
        Partition = partition;
        Report = report;
    }

    public TopologyConfig Topology { get; }
    public Partition Partition { get; }
    public RunReport Report { get; }

    public Core.Nodes.Node Node(string name) => Partition.Nodes.Single(n => n.Name == name);

    /// <summary>A node's gPTP time-aware system.</summary>
    public Core.Ptp.GptpInstance Gptp(string name) => Assert.IsType<Core.Ptp.GptpInstance>(Node(name).Ptp);

    public static GptpNetwork Run(string yaml, IFrameCapture? capture = null)
    {
        var result = TopologyLoader.Load(yaml, "gptp.yaml");
        Assert.True(result.Succeeded, string.Join("; ", result.Diagnostics));
        return Run(result.Topology!, capture);
    }

    public static GptpNetwork Run(TopologyConfig topology, IFrameCapture? capture = null)
    {
        Partition? partition = null;
        var report = SingleProcessRun.Execute(topology, TopologyFile.SettingsFor(topology, null, null) with { Capture = capture }, p => partition = p);
        return new GptpNetwork(topology, partition!, report);
    }

    /// <summary>Runs <paramref name="topology"/> with every port captured to pcapng files in a new temporary <paramref name="directory"/>.</summary>
    public static GptpNetwork RunCaptured(TopologyConfig topology, out string directory)
    {
        directory = Path.Combine(Path.GetTempPath(), $"tsnsim-test-{Guid.NewGuid():N}");
        using var capture = new Hosting.Capture.PortCapture(directory, topology.Name);
        return Run(topology, capture);
    }

    /// <summary>A grandmaster and one end station on one link.</summary>
    public static string TwoHosts(string delay, string slaveClock, string duration = "10s", string granularity = "8ns") => $$"""
        name: pair
        duration: {{duration}}
        defaults: { timestamps: { granularity: {{granularity}} } }
        ptp: { profile: gptp }
        nodes:
          gm: { kind: host, ports: 1, ptp: { priority1: 246 } }
          es: { kind: host, ports: 1, clock: {{slaveClock}} }
        links:
          - { endpoints: ["gm:eth0", "es:eth0"], delay: {{delay}} }
        """;
}
