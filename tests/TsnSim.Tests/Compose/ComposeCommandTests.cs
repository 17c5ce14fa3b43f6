using TsnSim.Tests.Support;
using TsnSim.Tests.Topology;

namespace TsnSim.Tests.Compose;

/// <summary><c>tsnsim compose</c> through the real command: where it writes, and how it refuses bad input.</summary>
public class ComposeCommandTests
{
    private static string TempFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"tsnsim-compose-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    [Fact]
    public void WritesTheComposeFileWithPathsRelativeToIt()
    {
        // A copy of the repository's layout elsewhere: the output must not depend on the working directory.
        var folder = TempFolder();
        Directory.CreateDirectory(Path.Combine(folder, "topologies"));
        var topology = Path.Combine(folder, "topologies", "line.yaml");
        File.Copy(RepositoryFiles.Topology("line.yaml"), topology);
        var output = Path.Combine(folder, "docker-compose.yml");

        var result = CliProcess.Run("compose", topology, "-o", output);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryFiles.Root, "docker-compose.yml")), File.ReadAllText(output));
    }

    [Fact]
    public void WritesToStandardOutputWithoutAnOutputFile()
    {
        var result = CliProcess.Run("compose", RepositoryFiles.Topology("star.yaml"), "--image", "registry.example/tsnsim:1.2");

        Assert.Equal(0, result.ExitCode);
        var compose = ComposeYaml.Parse(result.Stdout);
        Assert.Equal(["coordinator", "sw1", "h1", "h2", "h3", "h4", "jaeger"], compose.ServiceNames);
        Assert.Equal("registry.example/tsnsim:1.2", compose.Scalar("h4", "image"));
        Assert.Contains("--image registry.example/tsnsim:1.2", result.Stdout);
    }

    [Fact]
    public void BadTopologyFailsWithItsPositionAndWritesNothing()
    {
        var topology = CliProcess.TempFile("""
            name: bad
            nodes:
              h1: { kind: host, ports: 1 }
            links:
              - endpoints: ["h1:eth0", "h9:eth0"]
            """);
        var output = Path.Combine(TempFolder(), "docker-compose.yml");

        var result = CliProcess.Run("compose", topology, "-o", output);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{topology}:5:28: error: links[0].endpoints[1]: unknown node 'h9'", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void NodeNamedLikeAnInfrastructureServiceFailsWithExitCode2()
    {
        var topology = CliProcess.TempFile("""
            name: clash
            nodes:
              jaeger: { kind: host, ports: 1 }
            """);

        var result = CliProcess.Run("compose", topology);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{topology}: node 'jaeger' cannot become a compose service: the name is taken by the Jaeger service;", result.Stderr);
        Assert.Equal("", result.Stdout);
    }
}
