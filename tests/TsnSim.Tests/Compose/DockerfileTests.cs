using System.Xml.Linq;
using TsnSim.Tests.Topology;

namespace TsnSim.Tests.Compose;

/// <summary>
/// The Dockerfile, checked statically: it copies and publishes what exists, on the .NET 10
/// images, and its output holds every entry point the compose file and the image start.
/// </summary>
public class DockerfileTests
{
    private static readonly DockerfileInstructions Dockerfile = DockerfileInstructions.Read(Path.Combine(RepositoryFiles.Root, "Dockerfile"));

    private static IEnumerable<string[]> DotnetCommands(string verb) =>
        Dockerfile.RunCommands().Where(words => words is ["dotnet", var v, ..] && v == verb);

    private static string ProjectArgument(string[] words) => words.Single(w => w.EndsWith(".csproj", StringComparison.Ordinal));

    private static string OutputArgument(string[] words) => words[Array.IndexOf(words, "-o") + 1];

    [Fact]
    public void BuildsOnTheDotNet10SdkAndRunsOnTheDotNet10AspNetRuntime()
    {
        var images = Dockerfile.Arguments("FROM").Select(from => from.Split(' ')[0]).ToList();
        Assert.Equal("mcr.microsoft.com/dotnet/sdk:10.0", images[0]);
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0", images[^1]);
    }

    [Fact]
    public void EveryCopiedPathAndEveryProjectExistsInTheRepository()
    {
        var copied = Dockerfile.Arguments("COPY")
            .Where(arguments => !arguments.StartsWith("--from", StringComparison.Ordinal))
            .SelectMany(arguments => arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1]);
        var projects = DotnetCommands("restore").Concat(DotnetCommands("publish")).Select(ProjectArgument);
        foreach (var path in copied.Concat(projects))
        {
            var full = Path.Combine(RepositoryFiles.Root, path.TrimEnd('/'));
            Assert.True(File.Exists(full) || Directory.Exists(full), $"the Dockerfile uses {path}, which is not in the repository");
        }
    }

    [Fact]
    public void RestoresFromProjectFilesAloneBeforeCopyingTheSources()
    {
        var instructions = Dockerfile.Instructions.ToList();
        var firstRestore = instructions.FindIndex(i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet restore", StringComparison.Ordinal));
        var sourcesCopied = instructions.FindIndex(i => i.Keyword == "COPY" && i.Arguments.StartsWith("src/ ", StringComparison.Ordinal));
        Assert.InRange(firstRestore, 0, sourcesCopied - 1);
        var copiedForRestore = instructions.Take(firstRestore).Where(i => i.Keyword == "COPY")
            .SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1]).ToHashSet();
        Assert.All(copiedForRestore, source => Assert.True(
            source.EndsWith(".csproj", StringComparison.Ordinal) || source.EndsWith(".props", StringComparison.Ordinal),
            $"{source} is copied before the restore, so every change to it would redo the restore"));
        // Every project a published one references must have its project file there for the restore.
        foreach (var project in DotnetCommands("publish").Select(ProjectArgument))
            foreach (var reference in ProjectClosure(project))
                Assert.Contains(reference, copiedForRestore);
    }

    [Fact]
    public void PublishedOutputHoldsEveryEntryPointTheImageAndTheComposeFileStart()
    {
        var publishes = DotnetCommands("publish").ToList();
        var outputFolder = Assert.Single(publishes.Select(OutputArgument).Distinct());
        Assert.All(publishes, words => Assert.Contains("Release", words));
        Assert.Contains($"--from=build {outputFolder} /app", Dockerfile.Arguments("COPY"));
        var published = publishes.Select(words => "/app/" + AssemblyName(ProjectArgument(words)) + ".dll").ToHashSet();
        Assert.Superset(new HashSet<string> { "/app/TsnSim.Node.dll", "/app/TsnSim.Coordinator.dll", "/app/tsnsim.dll" }, published);

        var compose = ComposeYaml.Parse(File.ReadAllText(Path.Combine(RepositoryFiles.Root, "docker-compose.yml")));
        var started = compose.ServiceNames.Where(s => s != "jaeger")
            .Select(s => compose.List(s, "entrypoint"))
            .Append(DockerfileInstructions.ExecForm(Dockerfile.Arguments("ENTRYPOINT").Last()));
        foreach (var entrypoint in started)
        {
            Assert.Equal("dotnet", entrypoint[0]);
            Assert.Contains(entrypoint[1], published);
        }
        Assert.Equal(["dotnet", "/app/tsnsim.dll"], DockerfileInstructions.ExecForm(Dockerfile.Arguments("ENTRYPOINT").Last()));
    }

    [Fact]
    public void RunsAsAnUnprivilegedUserFromAppWithTheGrpcPortsExposed()
    {
        var final = Dockerfile.FinalStage().ToList();
        var user = final.Last(i => i.Keyword == "USER").Arguments;
        Assert.DoesNotContain(user.Split(':')[0], new[] { "root", "0" });
        Assert.Equal("/app", final.Last(i => i.Keyword == "WORKDIR").Arguments);
        var exposed = final.Where(i => i.Keyword == "EXPOSE").SelectMany(i => i.Arguments.Split(' ')).ToList();
        Assert.Contains("50050", exposed);
        Assert.Contains("50051", exposed);
        Assert.Contains("topologies/ /topologies/", final.Where(i => i.Keyword == "COPY").Select(i => i.Arguments));
    }

    [Fact]
    public void DockerIgnoreKeepsHostBuildOutputOutAndWhatTheBuildCopiesIn()
    {
        var patterns = File.ReadAllLines(Path.Combine(RepositoryFiles.Root, ".dockerignore"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.Contains("**/bin/", patterns);
        Assert.Contains("**/obj/", patterns);
        var copied = Dockerfile.Arguments("COPY")
            .Where(arguments => !arguments.StartsWith("--from", StringComparison.Ordinal))
            .SelectMany(arguments => arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1]);
        foreach (var path in copied)
            Assert.DoesNotContain(patterns, p => !p.Contains('*') && path.StartsWith(p.TrimEnd('/'), StringComparison.Ordinal));
    }

    private static string AssemblyName(string projectPath)
    {
        var project = XDocument.Load(Path.Combine(RepositoryFiles.Root, projectPath));
        return project.Descendants("AssemblyName").LastOrDefault()?.Value ?? Path.GetFileNameWithoutExtension(projectPath);
    }

    /// <summary>The project and every project it references, directly or not, as repository-relative paths.</summary>
    private static IEnumerable<string> ProjectClosure(string projectPath)
    {
        var seen = new HashSet<string>();
        var pending = new Stack<string>([projectPath]);
        while (pending.TryPop(out var current))
        {
            if (!seen.Add(current)) continue;
            var folder = Path.GetDirectoryName(current)!;
            foreach (var reference in XDocument.Load(Path.Combine(RepositoryFiles.Root, current)).Descendants("ProjectReference"))
            {
                var full = Path.GetFullPath(Path.Combine(RepositoryFiles.Root, folder, reference.Attribute("Include")!.Value));
                pending.Push(Path.GetRelativePath(RepositoryFiles.Root, full).Replace('\\', '/'));
            }
        }
        return seen;
    }
}
