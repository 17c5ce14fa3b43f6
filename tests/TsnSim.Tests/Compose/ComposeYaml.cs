using TsnSim.Cli.Compose;
using TsnSim.Core.Topology;
using TsnSim.Tests.Topology;
using YamlDotNet.RepresentationModel;

namespace TsnSim.Tests.Compose;

/// <summary>
/// Reads a generated compose file back with YamlDotNet's representation model, independently of
/// how the generator writes it, and gives the tests its services by name.
/// </summary>
internal sealed class ComposeYaml
{
    public IReadOnlyList<string> ServiceNames { get; }
    private readonly Dictionary<string, YamlMappingNode> _services;

    private ComposeYaml(List<(string Name, YamlMappingNode Body)> services)
    {
        ServiceNames = services.Select(s => s.Name).ToList();
        _services = services.ToDictionary(s => s.Name, s => s.Body);
    }

    public static ComposeYaml Parse(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var root = (YamlMappingNode)stream.Documents.Single().RootNode;
        Assert.DoesNotContain(root.Children.Keys, k => ((YamlScalarNode)k).Value == "version");
        var services = (YamlMappingNode)root.Children[new YamlScalarNode("services")];
        return new ComposeYaml(services.Children
            .Select(entry => (((YamlScalarNode)entry.Key).Value!, (YamlMappingNode)entry.Value))
            .ToList());
    }

    /// <summary>The topology file loaded as the CLI would, and its compose file as the CLI writes it from the repository root.</summary>
    public static (TopologyConfig Topology, string Text) GenerateForRepositoryTopology(string fileName)
    {
        var path = RepositoryFiles.Topology(fileName);
        var topology = TopologyLoader.Load(File.ReadAllBytes(path), path).Topology
            ?? throw new InvalidOperationException($"{path} does not load");
        return (topology, ComposeFileGenerator.Generate(topology, new ComposeFileSettings($"topologies/{fileName}")));
    }

    public static IEnumerable<string> RepositoryTopologyFiles() =>
        Directory.GetFiles(RepositoryFiles.TopologiesFolder, "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    public YamlMappingNode Service(string name) => _services[name];

    public string? Scalar(string service, string key) =>
        Service(service).Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;

    public IReadOnlyList<string> List(string service, string key) =>
        Service(service).Children.TryGetValue(new YamlScalarNode(key), out var value)
            ? ((YamlSequenceNode)value).Children.Select(item => ((YamlScalarNode)item).Value!).ToList()
            : [];

    public IReadOnlyDictionary<string, string> Environment(string service) =>
        Service(service).Children.TryGetValue(new YamlScalarNode("environment"), out var value)
            ? ((YamlMappingNode)value).Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => ((YamlScalarNode)e.Value).Value!)
            : new Dictionary<string, string>();

    /// <summary>The host side of each "HOST:CONTAINER" port mapping.</summary>
    public IEnumerable<string> PublishedHostPorts(string service) =>
        List(service, "ports").Select(mapping => mapping.Split(':') is [.., var host, _] ? host : mapping);
}
