using TsnSim.Core.Topology;

namespace TsnSim.Tests.Topology;

/// <summary>Loads a YAML text expected to be wrong in exactly one way, and checks where and how that is reported.</summary>
internal static class TopologyErrorAssert
{
    public const string SourceName = "test.yaml";

    /// <summary>
    /// Two hosts joined through one switch, every port linked: a valid topology that a test
    /// extends or breaks. Lines 1 to 8; a test's own lines start at 9.
    /// </summary>
    public const string ValidBase = """
        name: t
        nodes:
          h1: { kind: host, ports: 1 }
          h2: { kind: host, ports: 1 }
          sw1: { kind: switch, ports: 2 }
        links:
          - endpoints: ["h1:eth0", "sw1:eth0"]
          - endpoints: ["sw1:eth1", "h2:eth0"]

        """;

    /// <summary>Asserts the load failed with exactly one error, at this position and field, whose message holds every fragment.</summary>
    public static TopologyDiagnostic SingleError(string yaml, int line, int column, string field, params string[] messageFragments) =>
        SingleError(TopologyLoader.Load(yaml, SourceName), line, column, field, messageFragments);

    public static TopologyDiagnostic SingleError(TopologyLoadResult result, int line, int column, string field, params string[] messageFragments)
    {
        Assert.False(result.Succeeded);
        Assert.Null(result.Topology);
        var error = Assert.Single(result.Errors);
        Assert.Equal(SourceName, error.Source);
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Equal(field, error.Field);
        foreach (var fragment in messageFragments) Assert.Contains(fragment, error.Message);
        return error;
    }
}
