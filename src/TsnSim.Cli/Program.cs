using TsnSim.Hosting;
using System.CommandLine;
using TsnSim.Cli;
using TsnSim.Cli.Commands;

var root = new RootCommand("TsnSim: a deterministic TSN/PTP network simulator")
{
    RunCommand.Create(),
    ValidateCommand.Create(),
    UpCommand.Create(),
    BenchCommand.Create(),
    ComposeCommand.Create(),
    InjectCommand.Create(),
    TraceCommand.Create(),
    NicCommand.Create(),
};
try
{
    var parse = root.Parse(args);
    if (parse.Errors.Count > 0)
    {
        // A mistyped command line is invalid input like any other: its own message and exit code 2, no page of help.
        foreach (var error in parse.Errors) Console.Error.WriteLine($"tsnsim: {error.Message}");
        Console.Error.WriteLine($"tsnsim: see '{string.Join(' ', CommandPath(parse.CommandResult))} --help'");
        return ExitCodes.InvalidInput;
    }
    // On Ctrl-C the running command is cancelled and given time to stop its child processes.
    return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = TimeSpan.FromSeconds(30) });
}
catch (UserInputException e)
{
    Console.Error.WriteLine(e.Message);
    return ExitCodes.InvalidInput;
}
catch (Exception e)
{
    // No stack trace for users; TSNSIM_DEBUG=1 shows it for us.
    Console.Error.WriteLine($"tsnsim: error: {e.Message}");
    if (Environment.GetEnvironmentVariable("TSNSIM_DEBUG") == "1") Console.Error.WriteLine(e);
    return ExitCodes.Failure;
}

static IEnumerable<string> CommandPath(System.CommandLine.Parsing.CommandResult command) =>
    command.Parent is System.CommandLine.Parsing.CommandResult parent ? [.. CommandPath(parent), command.Command.Name] : ["tsnsim"];
