using System.Text.Json;
using TsnSim.Tests.Support;
using TsnSim.Tests.Topology;

namespace TsnSim.Tests.Distributed;

/// <summary>
/// A distributed run that goes wrong ends quickly, says who is to blame, keeps what was
/// collected, and leaves no process behind.
/// </summary>
[Collection(ProcessTests.Collection)]
public class ProcessFailureTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static readonly string Line = Path.Combine(RepositoryFiles.Root, "topologies", "line.yaml");
    private static readonly string[] LineNodes = ["h1", "sw1", "sw2", "sw3", "h2"];

    /// <summary>Starts the coordinator and one process per node of line.yaml, for a run far longer than any test.</summary>
    private static (SpawnedProcess Coordinator, Dictionary<string, SpawnedProcess> Nodes, string Report) StartLongRun(params string[] coordinatorExtra)
    {
        var ports = SpawnedProcess.FreePorts(LineNodes.Length + 1);
        var report = CliProcess.TempFile("", ".json");
        File.Delete(report);
        var coordinator = SpawnedProcess.Coordinator(["--topology", Line, "--listen", $"127.0.0.1:{ports[0]}", "--report", report, "--duration", "1000s", .. coordinatorExtra]);
        return (coordinator, SpawnedProcess.Nodes(Line, LineNodes, ports), report);
    }

    private static void DisposeAll(SpawnedProcess coordinator, Dictionary<string, SpawnedProcess> nodes)
    {
        coordinator.Dispose();
        foreach (var n in nodes.Values) n.Dispose();
    }

    [Fact]
    public void ANodeThatDiesMidRunIsNamedAndEveryoneStops()
    {
        var (coordinator, nodes, report) = StartLongRun();
        try
        {
            Assert.True(coordinator.WaitForOutput("progress:", Patience), coordinator.Stdout + coordinator.Stderr);
            long collected = WaitForSentFrames(report);
            nodes["sw2"].Kill();
            Assert.True(coordinator.WaitForExit(TimeSpan.FromSeconds(10)), "the coordinator did not abort within 10 s");
            Assert.Equal(1, coordinator.ExitCode);
            Assert.Contains("'sw2'", coordinator.Stderr);
            foreach (var (name, node) in nodes.Where(n => n.Key != "sw2"))
                Assert.True(node.WaitForExit(TimeSpan.FromSeconds(10)), $"node {name} is still running");
            // The partial report survives, marked incomplete, with the reason and what was collected.
            using var json = JsonDocument.Parse(File.ReadAllText(report));
            Assert.False(json.RootElement.GetProperty("complete").GetBoolean());
            Assert.Contains("sw2", json.RootElement.GetProperty("error").GetString());
            Assert.True(json.RootElement.GetProperty("streams")[0].GetProperty("sent").GetInt64() >= collected);
        }
        finally
        {
            DisposeAll(coordinator, nodes);
        }
    }

    /// <summary>Waits until the coordinator's report shows frames sent; returns how many.</summary>
    private static long WaitForSentFrames(string report)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < Patience)
        {
            try
            {
                using var json = JsonDocument.Parse(File.ReadAllText(report));
                long sent = json.RootElement.GetProperty("streams")[0].GetProperty("sent").GetInt64();
                if (sent > 0) return sent;
            }
            catch (IOException)
            {
            }
            Thread.Sleep(100);
        }
        throw new TimeoutException("the report never showed a frame sent");
    }

    [Fact]
    public void NodesStopWithAClearMessageWhenTheCoordinatorIsGone()
    {
        var (coordinator, nodes, _) = StartLongRun();
        try
        {
            Assert.True(coordinator.WaitForOutput("progress:", Patience), coordinator.Stdout + coordinator.Stderr);
            coordinator.Kill();
            foreach (var (name, node) in nodes)
            {
                Assert.True(node.WaitForExit(TimeSpan.FromSeconds(10)), $"node {name} is still running");
                Assert.NotEqual(0, node.ExitCode);
                Assert.Contains("coordinator", node.Stderr);
                Assert.DoesNotContain("   at ", node.Stderr);
            }
        }
        finally
        {
            DisposeAll(coordinator, nodes);
        }
    }

    [Fact]
    public void ANodeStartedWithAnotherTopologyFileIsRefused()
    {
        var ports = SpawnedProcess.FreePorts(2);
        var altered = CliProcess.TempFile(File.ReadAllText(Line) + "\n# one more line\n");
        using var coordinator = SpawnedProcess.Coordinator("--topology", Line, "--listen", $"127.0.0.1:{ports[0]}", "--start-timeout", "5s");
        using var node = SpawnedProcess.Node("--topology", altered, "--node", "h1", "--coordinator", $"http://127.0.0.1:{ports[0]}", "--listen", $"127.0.0.1:{ports[1]}");
        Assert.True(node.WaitForExit(Patience), "the node kept running");
        Assert.Equal(2, node.ExitCode);
        Assert.Contains("different topology file", node.Stderr);
        Assert.True(coordinator.WaitForExit(Patience));
        Assert.Contains("did not register", coordinator.Stderr);
    }

    [Fact]
    public void ANodeNameNotInTheTopologyIsRefusedAtOnce()
    {
        using var node = SpawnedProcess.Node("--topology", Line, "--node", "sw9", "--coordinator", "http://127.0.0.1:1");
        Assert.True(node.WaitForExit(Patience));
        Assert.Equal(2, node.ExitCode);
        Assert.Contains("node 'sw9' is not in", node.Stderr);
        Assert.Contains("expected one of h1, sw1, sw2, sw3, h2", node.Stderr);
    }

    [Fact]
    public void AnUnreachablePeerIsNamedAfterTheConnectTimeout()
    {
        // h2 tells the coordinator an address where nobody listens: h1 (whose name sorts first) cannot dial it.
        var ports = SpawnedProcess.FreePorts(4);
        var pair = CliProcess.TempFile("""
            name: pair
            duration: 1ms
            nodes:
              h1: { kind: host, ports: 1 }
              h2: { kind: host, ports: 1 }
            links:
              - endpoints: ["h1:eth0", "h2:eth0"]
            """);
        using var coordinator = SpawnedProcess.Coordinator("--topology", pair, "--listen", $"127.0.0.1:{ports[0]}");
        using var h1 = SpawnedProcess.Node("--topology", pair, "--node", "h1", "--coordinator", $"http://127.0.0.1:{ports[0]}",
            "--listen", $"127.0.0.1:{ports[1]}", "--advertise", $"http://127.0.0.1:{ports[1]}", "--connect-timeout", "2s");
        // h2 waits longer for h1's call than h1 tries to make it, so h1's failure is the one reported.
        using var h2 = SpawnedProcess.Node("--topology", pair, "--node", "h2", "--coordinator", $"http://127.0.0.1:{ports[0]}",
            "--listen", $"127.0.0.1:{ports[2]}", "--advertise", $"http://127.0.0.1:{ports[3]}", "--connect-timeout", "15s");
        Assert.True(coordinator.WaitForExit(Patience), "the coordinator did not abort");
        Assert.Equal(1, coordinator.ExitCode);
        Assert.Contains($"peer 'h2' at http://127.0.0.1:{ports[3]}", coordinator.Stderr);
        Assert.True(h1.WaitForExit(Patience) && h2.WaitForExit(Patience), "a node is still running");
    }
}
