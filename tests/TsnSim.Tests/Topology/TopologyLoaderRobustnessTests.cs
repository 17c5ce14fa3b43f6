using System.Text;
using TsnSim.Core.Topology;

namespace TsnSim.Tests.Topology;

/// <summary>Whatever bytes it is given, the loader answers with diagnostics and never throws.</summary>
public class TopologyLoaderRobustnessTests
{
    [Fact]
    public void EveryTruncationOfAnExampleLoadsWithoutThrowing()
    {
        var text = File.ReadAllText(RepositoryFiles.Topology("star.yaml"));
        for (int length = 0; length <= text.Length; length++)
        {
            var result = TopologyLoader.Load(text[..length], "star.yaml");
            Assert.True(result.Succeeded || result.Errors.Any(), $"truncated at {length}: failed without an error");
        }
    }

    [Fact]
    public void RandomByteCorruptionsLoadWithoutThrowing()
    {
        var original = File.ReadAllBytes(RepositoryFiles.Topology("line.yaml"));
        var random = new Random(20240601);
        var replacements = Encoding.ASCII.GetBytes("[]{}:,-#&*!|>'\"%@` \n\t0123456789abcxyz");
        for (int trial = 0; trial < 2000; trial++)
        {
            var bytes = (byte[])original.Clone();
            for (int flips = random.Next(1, 4); flips > 0; flips--)
                bytes[random.Next(bytes.Length)] = replacements[random.Next(replacements.Length)];
            var result = TopologyLoader.Load(bytes, "line.yaml");
            Assert.True(result.Succeeded || result.Errors.Any());
        }
    }

    [Theory]
    [InlineData("name: t\nnodes: " + "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[")]
    [InlineData("name: t\nduration: 79228162514264337593543950335s\n")]
    [InlineData("name: t\nlinks: [{ endpoints: ['a:b', 'c:d'], rate: 79228162514264337593543950335T }]\n")]
    [InlineData("name: t\nnodes: { ? [a, b] : c }\n")]
    [InlineData("name: *nowhere\n")]
    public void HostileInputIsAnErrorNotAnException(string yaml)
    {
        var result = TopologyLoader.Load(yaml, "hostile.yaml");
        Assert.False(result.Succeeded);
        Assert.NotEmpty(result.Errors);
    }
}
