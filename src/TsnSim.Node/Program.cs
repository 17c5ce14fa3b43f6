using TsnSim.Hosting;
using TsnSim.Node;

return await GrpcServer.RunProcessAsync("tsnsim-node", async () =>
{
    var options = NodeOptions.Parse(args);
    var loaded = TopologyFile.LoadWithFingerprint(options.TopologyPath, Console.Error);
    var unknown = options.Nodes.Where(n => loaded.Topology.Nodes.All(t => t.Name != n)).ToList();
    if (unknown.Count > 0)
        throw new UserInputException($"tsnsim-node: node {string.Join(", ", unknown.Select(u => $"'{u}'"))} is not in {options.TopologyPath}; expected one of {string.Join(", ", loaded.Topology.Nodes.Select(n => n.Name))}");
    options.Tracing.CheckDirectory();
    var runtime = new NodeRuntime(options, loaded);
    var app = GrpcServer.Create("tsnsim-node", options.Listen, services => services.AddSingleton(runtime));
    app.MapGrpcService<PeerLinkService>();
    app.MapGrpcService<TrafficEndpoint>();
    await app.StartAsync();
    int code = await runtime.RunAsync(app.Lifetime.ApplicationStopping);
    await app.StopAsync(TimeSpan.FromSeconds(2));
    return code;
});
