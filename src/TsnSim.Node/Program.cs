using Microsoft.AspNetCore.Server.Kestrel.Core;
using TsnSim.Hosting;
using TsnSim.Node;

try
{
    var options = NodeOptions.Parse(args);
    var loaded = TopologyFile.LoadWithFingerprint(options.TopologyPath, Console.Error);
    var unknown = options.Nodes.Where(n => loaded.Topology.Nodes.All(t => t.Name != n)).ToList();
    if (unknown.Count > 0)
        throw new UserInputException($"tsnsim-node: node {string.Join(", ", unknown.Select(u => $"'{u}'"))} is not in {options.TopologyPath}; expected one of {string.Join(", ", loaded.Topology.Nodes.Select(n => n.Name))}");
    var endpoint = GrpcEndpoints.ParseListen(options.Listen, "tsnsim-node");

    var runtime = new NodeRuntime(options, loaded);
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
    builder.Services.AddSingleton(runtime);
    var app = builder.Build();
    app.MapGrpcService<PeerLinkService>();
    app.MapGrpcHealthChecksService();
    app.MapGrpcReflectionService();
    await app.StartAsync();
    int code = await runtime.RunAsync(app.Lifetime.ApplicationStopping);
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
    // Kestrel could not bind, for one.
    Console.Error.WriteLine($"tsnsim-node: {e.Message}");
    return ExitCodes.Failure;
}
