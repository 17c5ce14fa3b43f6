using TsnSim.Tests.Topology;

namespace TsnSim.Tests.Compose;

/// <summary>The docker-compose.yml at the repository root is exactly what <c>tsnsim compose</c> makes of line.yaml, never a hand-edited copy.</summary>
public class CommittedComposeFileTests
{
    [Fact]
    public void CommittedComposeFileIsTheGeneratorsOutputForLine()
    {
        var committed = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "docker-compose.yml"));
        var (_, generated) = ComposeYaml.GenerateForRepositoryTopology("line.yaml");
        Assert.True(committed == generated,
            "docker-compose.yml is out of date; regenerate it from the repository root with "
            + "./tsnsim compose topologies/line.yaml -o docker-compose.yml");
    }
}
