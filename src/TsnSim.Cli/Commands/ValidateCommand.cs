using TsnSim.Hosting;
using System.CommandLine;

namespace TsnSim.Cli.Commands;

/// <summary><c>tsnsim validate FILE</c>: every error and warning of a topology file, each at its file:line:column.</summary>
public static class ValidateCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "Topology file (YAML)" };
        var command = new Command("validate", "Check a topology file and list every problem with its position") { file };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            var topology = TopologyFile.Load(path, Console.Error);
            Console.Out.WriteLine($"{path}: valid: {topology.Nodes.Count} nodes, {topology.Links.Count} links, {topology.Streams.Count} streams");
            return ExitCodes.Success;
        });
        return command;
    }
}
