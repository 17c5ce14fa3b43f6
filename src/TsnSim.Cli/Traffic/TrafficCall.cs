using Grpc.Core;
using TsnSim.Hosting;
using TsnSim.Protos.Traffic;

namespace TsnSim.Cli.Traffic;

/// <summary>
/// One call of <c>tsnsim inject</c> to a TrafficService (the coordinator's, or a node's), with
/// the server's refusal turned into a message on standard error and an exit code a script can
/// act on: 2 when the request itself was refused (retrying will not help), 3 when the server
/// could not take it now (unreachable, run not started, too busy: retrying may), 1 otherwise.
/// </summary>
public static class TrafficCall
{
    /// <summary>The coordinator that <c>tsnsim up</c> and compose start listens here unless told otherwise.</summary>
    public const string DefaultAddress = "http://localhost:50050";
    public const string AddressVariable = "TSNSIM_ADDRESS";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>The server's URL: the option, else TSNSIM_ADDRESS, else <see cref="DefaultAddress"/>; a bare host:port gets http://.</summary>
    public static Uri Address(string? option)
    {
        var text = option ?? (Environment.GetEnvironmentVariable(AddressVariable) is { Length: > 0 } env ? env : DefaultAddress);
        var source = option is not null ? "--address" : AddressVariable;
        if (!text.Contains("://", StringComparison.Ordinal)) text = "http://" + text;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
            throw new UserInputException($"{source}: '{option ?? text}' is not a server address; expected a URL with a port such as http://127.0.0.1:50050");
        return uri;
    }

    public static async Task<int> RunAsync(string command, Uri address, Func<TrafficService.TrafficServiceClient, CallOptions, Task> call, CancellationToken cancel)
    {
        using var channel = GrpcEndpoints.Channel(address);
        var client = new TrafficService.TrafficServiceClient(channel);
        try
        {
            await call(client, new CallOptions(deadline: DateTime.UtcNow + Patience, cancellationToken: cancel));
            return ExitCodes.Success;
        }
        catch (RpcException e) when (e.Status.DebugException is not null && e.StatusCode == StatusCode.Unavailable)
        {
            Console.Error.WriteLine($"{command}: cannot reach {address.GetLeftPart(UriPartial.Authority)}: {Innermost(e.Status.DebugException).Message}; is `tsnsim up` running? It prints its address (set it with --address or {AddressVariable})");
            return ExitCodes.TryAgain;
        }
        catch (RpcException e)
        {
            Console.Error.WriteLine($"{command}: {CodeName(e.StatusCode)}: {e.Status.Detail}");
            return ExitCodeOf(e.StatusCode);
        }
    }

    public static int ExitCodeOf(StatusCode code) => code switch
    {
        StatusCode.InvalidArgument or StatusCode.OutOfRange or StatusCode.NotFound or StatusCode.AlreadyExists
            or StatusCode.FailedPrecondition or StatusCode.Unimplemented => ExitCodes.InvalidInput,
        StatusCode.Unavailable or StatusCode.ResourceExhausted or StatusCode.DeadlineExceeded => ExitCodes.TryAgain,
        _ => ExitCodes.Failure,
    };

    /// <summary>The status as gRPC documents name it (INVALID_ARGUMENT), so it can be looked up.</summary>
    private static string CodeName(StatusCode code) =>
        string.Concat(code.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : c.ToString())).ToUpperInvariant();

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;
}
