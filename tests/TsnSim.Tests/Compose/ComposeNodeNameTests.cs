using TsnSim.Hosting;
using System.Globalization;
using System.Text;
using TsnSim.Cli;
using TsnSim.Cli.Compose;
using TsnSim.Core.Topology;

namespace TsnSim.Tests.Compose;

/// <summary>Node names become service and host names: ones YAML could misread survive the round trip, ones that would clash are refused.</summary>
public class ComposeNodeNameTests
{
    private static TopologyConfig Nodes(params string[] names)
    {
        var yaml = new StringBuilder("name: names\nnodes:\n");
        foreach (var name in names) yaml.Append(CultureInfo.InvariantCulture, $"  \"{name}\": {{ kind: host, ports: 1 }}\n");
        var result = TopologyLoader.Load(Encoding.UTF8.GetBytes(yaml.ToString()), "names.yaml");
        return result.Topology ?? throw new InvalidOperationException(string.Join("\n", result.Diagnostics));
    }

    private static string Generate(TopologyConfig topology) =>
        ComposeFileGenerator.Generate(topology, new ComposeFileSettings("topologies/names.yaml"));

    [Fact]
    public void NamesYamlWouldReadAsBooleansNullsOrNumbersComeBackAsWritten()
    {
        string[] names = ["on", "No", "null", "y", "h1.a", "e1-2"];
        var compose = ComposeYaml.Parse(Generate(Nodes(names)));
        Assert.Equal(["coordinator", .. names, "jaeger"], compose.ServiceNames);
        foreach (var name in names)
        {
            Assert.Equal(name, compose.Environment(name)["TSNSIM_NODE"]);
            Assert.Equal($"http://{name}:50051", compose.Environment(name)["TSNSIM_ADVERTISE"]);
        }
    }

    [Theory]
    [InlineData("coordinator")]
    [InlineData("Jaeger")]
    public void NodeTakingAnInfrastructureServiceNameIsRefused(string name)
    {
        var error = Assert.Throws<UserInputException>(() => Generate(Nodes("h1", name)));
        Assert.Contains($"node '{name}'", error.Message);
        Assert.StartsWith("names.yaml: ", error.Message);
    }

    [Fact]
    public void NodesDifferingOnlyInCaseAreRefused()
    {
        var error = Assert.Throws<UserInputException>(() => Generate(Nodes("sw1", "SW1")));
        Assert.Contains("node 'SW1'", error.Message);
        Assert.Contains("node 'sw1'", error.Message);
    }

    [Theory]
    [InlineData("topologies/line.yaml", "./topologies:/topologies:ro", "/topologies/line.yaml")]
    [InlineData("line.yaml", ".:/topologies:ro", "/topologies/line.yaml")]
    [InlineData("../other/star.yaml", "../other:/topologies:ro", "/topologies/star.yaml")]
    [InlineData("/srv/tsn/star.yaml", "/srv/tsn:/topologies:ro", "/topologies/star.yaml")]
    [InlineData("/star.yaml", "/:/topologies:ro", "/topologies/star.yaml")]
    public void TopologyFolderIsMountedRelativeToTheComposeFile(string topologyPath, string volume, string containerFile)
    {
        var mount = TopologyMount.For(topologyPath);
        Assert.Equal(volume, mount.Volume);
        Assert.Equal(containerFile, mount.ContainerFile);
    }

    [Fact]
    public void DollarSignsInPathsAreNotInterpolatedByCompose()
    {
        var text = ComposeFileGenerator.Generate(Nodes("h1"), new ComposeFileSettings("my$dir/names.yaml"));
        Assert.Contains("\"./my$$dir:/topologies:ro\"", text);
    }
}
