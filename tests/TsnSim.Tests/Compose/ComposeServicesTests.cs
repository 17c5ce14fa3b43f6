using TsnSim.Cli.Compose;

namespace TsnSim.Tests.Compose;

/// <summary>For every example topology the compose file has the coordinator, Jaeger and one correctly wired service per node, and nothing else.</summary>
public class ComposeServicesTests
{
    public static TheoryData<string> Topologies() => new(ComposeYaml.RepositoryTopologyFiles());

    [Theory]
    [MemberData(nameof(Topologies))]
    public void ServicesAreCoordinatorJaegerAndOnePerNodeInTopologyOrder(string file)
    {
        var (topology, text) = ComposeYaml.GenerateForRepositoryTopology(file);
        var compose = ComposeYaml.Parse(text);
        string[] expected = ["coordinator", .. topology.Nodes.Select(n => n.Name), "jaeger"];
        Assert.Equal(expected, compose.ServiceNames);
    }

    [Theory]
    [MemberData(nameof(Topologies))]
    public void EveryNodeServiceRunsItsOwnNodeAndReportsTelemetry(string file)
    {
        var (topology, text) = ComposeYaml.GenerateForRepositoryTopology(file);
        var compose = ComposeYaml.Parse(text);
        foreach (var node in topology.Nodes.Select(n => n.Name))
        {
            var environment = compose.Environment(node);
            Assert.Equal(node, environment["TSNSIM_NODE"]);
            Assert.Equal($"http://{node}:50051", environment["TSNSIM_ADVERTISE"]);
            Assert.Equal("http://coordinator:50050", environment["TSNSIM_COORDINATOR"]);
            Assert.Equal($"/topologies/{file}", environment["TSNSIM_TOPOLOGY"]);
            Assert.Equal($"tsnsim-{node}", environment["OTEL_SERVICE_NAME"]);
            Assert.Equal("http://jaeger:4317", environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
            Assert.Equal("grpc", environment["OTEL_EXPORTER_OTLP_PROTOCOL"]);
            Assert.Equal(["dotnet", ContainerLayout.NodeAssembly], compose.List(node, "entrypoint"));
            Assert.Equal(["./topologies:/topologies:ro"], compose.List(node, "volumes"));
            Assert.Empty(compose.List(node, "ports"));
        }
    }

    [Theory]
    [MemberData(nameof(Topologies))]
    public void CoordinatorReadsTheTopologyAndWritesTheReportToTheHost(string file)
    {
        var compose = ComposeYaml.Parse(ComposeYaml.GenerateForRepositoryTopology(file).Text);
        var environment = compose.Environment("coordinator");
        Assert.Equal($"/topologies/{file}", environment["TSNSIM_TOPOLOGY"]);
        Assert.Equal("/reports/report.json", environment["TSNSIM_REPORT"]);
        Assert.Equal("tsnsim-coordinator", environment["OTEL_SERVICE_NAME"]);
        Assert.Equal("http://jaeger:4317", environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("grpc", environment["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        Assert.Equal(["dotnet", ContainerLayout.CoordinatorAssembly], compose.List("coordinator", "entrypoint"));
        Assert.Equal(["./topologies:/topologies:ro", "./reports:/reports"], compose.List("coordinator", "volumes"));
        Assert.Equal(["50050:50050"], compose.List("coordinator", "ports"));
    }

    [Theory]
    [MemberData(nameof(Topologies))]
    public void ImageIsBuiltOnceAndRunByEveryTsnSimService(string file)
    {
        var compose = ComposeYaml.Parse(ComposeYaml.GenerateForRepositoryTopology(file).Text);
        var tsnsimServices = compose.ServiceNames.Where(s => s != "jaeger").ToList();
        Assert.Equal(["coordinator"], tsnsimServices.Where(s => compose.Service(s).Children.ContainsKey("build")));
        Assert.All(tsnsimServices, s => Assert.Equal("tsnsim:latest", compose.Scalar(s, "image")));
        Assert.All(tsnsimServices.Skip(1), s => Assert.Equal("never", compose.Scalar(s, "pull_policy")));
        Assert.Matches(@"^jaegertracing/all-in-one:\d+\.\d+\.\d+$", compose.Scalar("jaeger", "image"));
        Assert.Equal("true", compose.Environment("jaeger")["COLLECTOR_OTLP_ENABLED"]);
    }

    [Theory]
    [MemberData(nameof(Topologies))]
    public void EveryDependencyIsAServiceAndNoHostPortIsPublishedTwice(string file)
    {
        var compose = ComposeYaml.Parse(ComposeYaml.GenerateForRepositoryTopology(file).Text);
        foreach (var service in compose.ServiceNames)
            Assert.All(compose.List(service, "depends_on"), target => Assert.Contains(target, compose.ServiceNames));
        var hostPorts = compose.ServiceNames.SelectMany(compose.PublishedHostPorts).ToList();
        Assert.Equal(hostPorts.Distinct(), hostPorts);
        Assert.Equal(["50050", "16686", "4317"], hostPorts);
    }

    [Fact]
    public void OutputIsDeterministic()
    {
        var first = ComposeYaml.GenerateForRepositoryTopology("star.yaml").Text;
        var second = ComposeYaml.GenerateForRepositoryTopology("star.yaml").Text;
        Assert.Equal(first, second);
    }
}
