using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace TsnSim.Hosting;

/// <summary>
/// The gRPC server of a node or coordinator process: cleartext HTTP/2 only, the transport
/// settings of <see cref="GrpcEndpoints"/>, health checks and server reflection (so grpcurl
/// works), and the exit codes and messages every TsnSim process uses.
/// </summary>
public static class GrpcServer
{
    public static WebApplication Create(string program, string listen, Action<IServiceCollection> services)
    {
        var endpoint = GrpcEndpoints.ParseListen(listen, program);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(endpoint, l => l.Protocols = HttpProtocols.Http2);
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.Limits.Http2.KeepAlivePingDelay = GrpcEndpoints.KeepAlivePingDelay;
            kestrel.Limits.Http2.KeepAlivePingTimeout = GrpcEndpoints.KeepAlivePingTimeout;
        });
        builder.Services.AddGrpc(grpc => grpc.MaxReceiveMessageSize = GrpcEndpoints.MaxMessageBytes);
        // Healthy while the process serves; published at once rather than after the default 5 s delay.
        builder.Services.AddGrpcHealthChecks().AddCheck("process", () => HealthCheckResult.Healthy());
        builder.Services.Configure<HealthCheckPublisherOptions>(o => o.Delay = TimeSpan.Zero);
        builder.Services.AddGrpcReflection();
        services(builder.Services);
        var app = builder.Build();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        return app;
    }

    /// <summary>Runs a process's body: bad input exits 2 with its message, a port that cannot be bound exits 1.</summary>
    public static async Task<int> RunProcessAsync(string program, Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (UserInputException e)
        {
            Console.Error.WriteLine(e.Message);
            return ExitCodes.InvalidInput;
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"{program}: {e.Message}");
            return ExitCodes.Failure;
        }
    }
}
