using System.Text.Json.Nodes;
using Json.Schema;
using TsnSim.Core.Topology;

namespace TsnSim.Tests.Topology;

/// <summary>
/// topologies/schema.json, the schema editors use, agrees with the loader: every shipped example
/// passes both, and the schema really rejects what the loader rejects rather than accepting anything.
/// </summary>
public class TopologySchemaTests
{
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(File.ReadAllText(Path.Combine(RepositoryFiles.TopologiesFolder, "schema.json"))));

    private static IEnumerable<string> ExampleFileNames() =>
        Directory.GetFiles(RepositoryFiles.TopologiesFolder, "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    public static TheoryData<string> ExampleFiles() => new(ExampleFileNames());

    private static EvaluationResults Evaluate(string yaml) =>
        Schema.Value.Evaluate(YamlToJson.Convert(yaml), new EvaluationOptions { OutputFormat = OutputFormat.List });

    private static string Describe(EvaluationResults results) =>
        string.Join("\n", (results.Details ?? []).Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} {d.EvaluationPath}: {e.Key}: {e.Value}")));

    [Fact]
    public void ThereAreExamplesToCheck() => Assert.True(ExampleFileNames().Count() >= 3);

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public void ExampleLoadsWithoutErrors(string fileName)
    {
        var result = TopologyLoader.Load(File.ReadAllBytes(RepositoryFiles.Topology(fileName)), fileName);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Empty(result.Errors);
    }

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public void ExampleValidatesAgainstTheSchema(string fileName)
    {
        var results = Evaluate(File.ReadAllText(RepositoryFiles.Topology(fileName)));
        Assert.True(results.IsValid, Describe(results));
    }

    [Fact]
    public void ExamplesDeclareTheSchemaForEditors()
    {
        foreach (var fileName in ExampleFileNames())
            Assert.StartsWith("# yaml-language-server: $schema=./schema.json", File.ReadAllText(RepositoryFiles.Topology(fileName)));
    }

    [Theory]
    [InlineData("nodes:\n  sw1:\n    procesing: 1us", "an unknown node field")]
    [InlineData("colour: red", "an unknown top-level field")]
    [InlineData("links:\n  - endpoints: [\"h1:eth0\", \"sw1:eth0\"]\n    delya: 1us", "an unknown link field")]
    public void UnknownFieldFailsTheSchemaAsWellAsTheLoader(string change, string what)
    {
        var yaml = Mutate(TopologyErrorAssert.ValidBase, change);
        Assert.False(TopologyLoader.Load(yaml, "t.yaml").Succeeded);
        Assert.False(Evaluate(yaml).IsValid, $"the schema accepted {what}");
    }

    [Theory]
    [InlineData("  - { name: s, talker: h1, listeners: [h2] }", "a stream with neither period nor rate")]
    [InlineData("  - { name: s, talker: h1, listeners: [h2], period: 1ms, rate: 1Gbps }", "a stream with both period and rate")]
    [InlineData("  - { name: s, talker: h1, listeners: [h2], period: 10 }", "a period without a unit")]
    [InlineData("  - { name: s, talker: h1, listeners: [h2], period: 1ms, pcp: 8 }", "a PCP above 7")]
    [InlineData("  - { name: s, talker: h1, listeners: [h2], period: 1ms, dst: \"02:00\" }", "a short MAC")]
    public void InvalidStreamFailsTheSchemaAsWellAsTheLoader(string stream, string what)
    {
        var yaml = TopologyErrorAssert.ValidBase + "streams:\n" + stream + "\n";
        Assert.False(TopologyLoader.Load(yaml, "t.yaml").Succeeded);
        Assert.False(Evaluate(yaml).IsValid, $"the schema accepted {what}");
    }

    [Theory]
    [InlineData("{ rx_queues: 2, rules: [{ dst_port: 80, queue: 1 }], rule_changes: [{ at: 1ms, rules: [{ proto: udp, queue: 0 }] }, { at: 2ms, rules: [] }] }", true)]
    [InlineData("{ rx_queues: 2, rule_changes: [{ at: 1ms }] }", false)]
    [InlineData("{ rx_queues: 2, rule_changes: [{ at: 1ms, rules: [{ dst_port: 80 }] }] }", false)]
    public void SteeringRuleChangesPassOrFailTheSchemaAsTheLoader(string nic, bool valid)
    {
        var yaml = Mutate(TopologyErrorAssert.ValidBase, $"nodes:\n  h2:\n    nic: {nic}");
        Assert.Equal(valid, TopologyLoader.Load(yaml, "t.yaml").Succeeded);
        Assert.Equal(valid, Evaluate(yaml).IsValid);
    }

    [Fact]
    public void SwitchOnlyFieldOnAHostFailsTheSchema() =>
        Assert.False(Evaluate(TopologyErrorAssert.ValidBase.Replace("h1: { kind: host, ports: 1 }", "h1: { kind: host, ports: 1, aging: 10s }")).IsValid);

    [Fact]
    public void DocumentationExamplePassesLoaderAndSchema()
    {
        var markdown = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "docs", "topology-format.md"));
        int example = markdown.IndexOf("## A complete example", StringComparison.Ordinal);
        int start = markdown.IndexOf("```yaml\n", example, StringComparison.Ordinal) + "```yaml\n".Length;
        var yaml = markdown[start..markdown.IndexOf("```", start, StringComparison.Ordinal)];
        var result = TopologyLoader.Load(yaml, "topology-format.md");
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Empty(result.Diagnostics);
        var results = Evaluate(yaml);
        Assert.True(results.IsValid, Describe(results));
    }

    [Fact]
    public void ValidBaseIsValidForTheSchemaToo() => Assert.True(Evaluate(TopologyErrorAssert.ValidBase).IsValid);

    /// <summary>Merges one section of YAML into a copy of <paramref name="yaml"/>, section by section.</summary>
    private static string Mutate(string yaml, string change)
    {
        var document = YamlToJson.Convert(yaml)!.AsObject();
        var patch = YamlToJson.Convert(change)!.AsObject();
        MergeInto(document, patch);
        // JSON is YAML, so the mutated document goes back through the loader as it is.
        return document.ToJsonString();
    }

    private static void MergeInto(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch.ToList())
        {
            if (target[key] is JsonObject targetObject && value is JsonObject patchObject) MergeInto(targetObject, patchObject);
            else if (target[key] is JsonArray targetArray && value is JsonArray patchArray)
                for (int i = 0; i < patchArray.Count; i++)
                {
                    if (i < targetArray.Count && targetArray[i] is JsonObject item && patchArray[i] is JsonObject patchItem) MergeInto(item, patchItem);
                    else targetArray.Add(patchArray[i]?.DeepClone());
                }
            else target[key] = value?.DeepClone();
        }
    }
}
