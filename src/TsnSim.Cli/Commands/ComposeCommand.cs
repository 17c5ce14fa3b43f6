using TsnSim.Hosting;
using System.CommandLine;
using System.Text;
using TsnSim.Cli.Compose;

namespace TsnSim.Cli.Commands;

/// <summary><c>tsnsim compose FILE</c>: the Docker Compose file that runs the topology distributed, one container per node.</summary>
public static class ComposeCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "Topology file (YAML)" };
        var output = new Option<string?>("--output", "-o") { Description = "Write the compose file here (default: standard output)" };
        var image = new Option<string>("--image")
        {
            Description = "Image the services run, built from the Dockerfile",
            DefaultValueFactory = _ => ComposeFileSettings.DefaultImage,
        };
        var command = new Command("compose", "Write a Docker Compose file running the topology as one container per node") { file, output, image };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            var outputPath = parse.GetValue(output);
            var topology = TopologyFile.Load(path, Console.Error);
            var settings = new ComposeFileSettings(
                TopologyPathSeenFrom(ComposeFileFolder(outputPath), path),
                parse.GetValue(image)!,
                outputPath is null ? ComposeFileSettings.DefaultOutputFileName : Path.GetFileName(outputPath));
            var text = ComposeFileGenerator.Generate(topology, settings);
            if (outputPath is null) Console.Out.Write(text);
            else Write(outputPath, text);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Compose resolves relative paths from the compose file's folder, so the topology's path must be relative to it too.</summary>
    private static string TopologyPathSeenFrom(string composeFolder, string topologyPath) =>
        Path.GetRelativePath(composeFolder, Path.GetFullPath(topologyPath)).Replace(Path.DirectorySeparatorChar, '/');

    private static string ComposeFileFolder(string? outputPath) =>
        outputPath is null ? Directory.GetCurrentDirectory() : Path.GetDirectoryName(Path.GetFullPath(outputPath))!;

    private static void Write(string path, string text)
    {
        try
        {
            File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UserInputException($"{path}: cannot write the compose file: {e.Message}");
        }
    }
}
