using Microsoft.AspNetCore.Server.Kestrel.Core;
using TsnSim.Coordinator;
using TsnSim.Hosting;

try
{
    var options = CoordinatorOptions.Parse(args);
    var loaded = TopologyFile.LoadWithFingerprint(options.TopologyPath, Console.Error);
    var endpoint = GrpcEndpoints.ParseListen(options.Listen, "tsnsim-coordinator");
    var coordinator = new RunCoordinator(loaded, options);

    var builder = WebApplication.CreateSlimBuilder();
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    builder.WebHost.ConfigureKestrel(kestrel =>
    {
        kestrel.Listen(endpoint, listen => listen.Protocols = HttpProtocols.Http2);
        kestrel.Limits.MinRequestBodyDataRate = null;
        kestrel.Limits.MinResponseDataRate = null;
        kestrel.Limits.Http2.KeepAlivePingDelay = GrpcEndpoints.KeepAlivePingDelay;
        kestrel.Limits.Http2.KeepAlivePingTimeout = GrpcEndpoints.KeepAlivePingTimeout;
    });
    builder.Services.AddGrpc(grpc => grpc.MaxReceiveMessageSize = GrpcEndpoints.MaxMessageBytes);
    // Healthy while the process serves; published at once rather than after the default 5 s delay.
    builder.Services.AddGrpcHealthChecks().AddCheck("process", () => Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy());
    builder.Services.Configure<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckPublisherOptions>(o => o.Delay = TimeSpan.Zero);
    builder.Services.AddGrpcReflection();
    builder.Services.AddSingleton(coordinator);
    var app = builder.Build();
    app.MapGrpcService<ControlService>();
    app.MapGrpcService<TelemetryService>();
    app.MapGrpcHealthChecksService();
    app.MapGrpcReflectionService();
    await app.StartAsync();
    Console.Out.WriteLine($"tsnsim coordinator: listening on {options.Listen} for {loaded.Topology.Nodes.Count} nodes of {loaded.Topology.Name}");
    int code = await coordinator.RunAsync(app.Lifetime.ApplicationStopping);
    // Give the sessions a moment to deliver the last commands before the server goes.
    await Task.Delay(200);
    await app.StopAsync(TimeSpan.FromSeconds(2));
    return code;
}
catch (UserInputException e)
{
    Console.Error.WriteLine(e.Message);
    return ExitCodes.InvalidInput;
}
catch (IOException e)
{
    Console.Error.WriteLine($"tsnsim-coordinator: {e.Message}");
    return ExitCodes.Failure;
}
