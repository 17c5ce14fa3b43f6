using TsnSim.Coordinator;
using TsnSim.Hosting;

return await GrpcServer.RunProcessAsync("tsnsim-coordinator", async () =>
{
    var options = CoordinatorOptions.Parse(args);
    var loaded = TopologyFile.LoadWithFingerprint(options.TopologyPath, Console.Error);
    // A stream name the topology does not have stops the run here, before any node starts tracing.
    options.Tracing.SelectionFor(loaded.Topology);
    var coordinator = new RunCoordinator(loaded, options);
    using var router = new TrafficRouter(coordinator, loaded.Topology);
    var app = GrpcServer.Create("tsnsim-coordinator", options.Listen, services => services.AddSingleton(coordinator).AddSingleton(router));
    app.MapGrpcService<ControlService>();
    app.MapGrpcService<TelemetryService>();
    app.MapGrpcService<ReportService>();
    app.MapGrpcService<TrafficRoutingService>();
    await app.StartAsync();
    Console.Out.WriteLine($"tsnsim coordinator: listening on {options.Listen} for {loaded.Topology.Nodes.Count} nodes of {loaded.Topology.Name}");
    int code = await coordinator.RunAsync(app.Lifetime.ApplicationStopping);
    // Give the sessions a moment to deliver the last commands before the server goes.
    await Task.Delay(200);
    await app.StopAsync(TimeSpan.FromSeconds(2));
    return code;
});
