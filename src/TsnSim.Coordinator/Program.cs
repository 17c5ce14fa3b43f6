using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using TsnSim.Coordinator;
using TsnSim.Hosting;

try
{
    var options = CoordinatorOptions.Parse(args);
    var loaded = TopologyFile.LoadWithFingerprint(options.TopologyPath, Console.Error);
    if (!IPEndPoint.TryParse(options.Listen, out var endpoint))
        throw new UserInputException($"tsnsim-coordinator: --listen '{options.Listen}' is not an address:port such as 0.0.0.0:50050");
    var coordinator = new RunCoordinator(loaded, options);

    var builder = WebApplication.CreateSlimBuilder();
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(endpoint, listen => listen.Protocols = HttpProtocols.Http2));
    builder.Services.AddGrpc(grpc => grpc.MaxReceiveMessageSize = 256 << 20);
    builder.Services.AddGrpcHealthChecks();
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
