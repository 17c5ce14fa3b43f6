using TsnSim.Tests.Support;

namespace TsnSim.Tests.Cli;

/// <summary>Bad input gets a message naming file:line:column or the option, exit code 2, and never a stack trace.</summary>
public class CliErrorReportingTests
{
    private static void AssertNoStackTrace(CliProcess.Result result)
    {
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.DoesNotContain("Exception", result.Stderr);
    }

    [Fact]
    public void ValidateListsEveryErrorWithItsPosition()
    {
        var path = CliProcess.TempFile("""
            name: bad
            nodes:
              h1: { kind: host, ports: 1 }
            links:
              - endpoints: ["h1:eth0", "h9:eth0"]
                rate: fast
            """);
        var result = CliProcess.Run("validate", path);
        Assert.Equal(2, result.ExitCode);
        // "h9:eth0" starts at line 5, column 28; "fast" at line 6, column 11.
        Assert.Contains($"{path}:5:28: error: links[0].endpoints[1]: unknown node 'h9'", result.Stderr);
        Assert.Contains($"{path}:6:11: error: links[0].rate:", result.Stderr);
        AssertNoStackTrace(result);
    }

    [Fact]
    public void MissingFileIsNamed()
    {
        var result = CliProcess.Run("run", "/nonexistent/topology.yaml");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("/nonexistent/topology.yaml: cannot read the topology file", result.Stderr);
        AssertNoStackTrace(result);
    }

    [Fact]
    public void EmptyFileIsRefused()
    {
        var path = CliProcess.TempFile("");
        var result = CliProcess.Run("run", path);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("empty", result.Stderr);
        AssertNoStackTrace(result);
    }

    [Fact]
    public void BadDurationOptionNamesTheOption()
    {
        var path = CliProcess.TempFile(SmallTopology);
        var result = CliProcess.Run("run", path, "--duration", "10 parsecs");
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("--duration:", result.Stderr);
        AssertNoStackTrace(result);
    }

    [Fact]
    public void RunWithoutAnyDurationSaysWhereToGiveOne()
    {
        var path = CliProcess.TempFile(SmallTopology.Replace("duration: 1ms\n", ""));
        var result = CliProcess.Run("run", path);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--duration", result.Stderr);
        AssertNoStackTrace(result);
    }

    internal const string SmallTopology = """
        name: small
        duration: 1ms
        nodes:
          h1: { kind: host, ports: 1 }
          sw1: { kind: switch, ports: 2, processing: 1us }
          h2: { kind: host, ports: 1 }
        links:
          - { endpoints: ["h1:eth0", "sw1:eth0"], rate: 1Gbps, delay: 1us }
          - { endpoints: ["sw1:eth1", "h2:eth0"], rate: 1Gbps, delay: 1us }
        streams:
          - { name: control, talker: h1, listeners: [h2], period: 100us, size: 128, pcp: 6, vlan: 10, deadline: 5us }

        """;
}
