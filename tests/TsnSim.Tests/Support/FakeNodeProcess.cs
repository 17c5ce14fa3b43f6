using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using TsnSim.Hosting;
using TsnSim.Protos.Control;

namespace TsnSim.Tests.Support;

/// <summary>
/// Stands in for a node process towards a coordinator: registers its nodes as a real one does
/// and serves a gRPC service the test writes (a TrafficService whose answers the test knows),
/// so what the coordinator does with those answers can be checked against them.
/// </summary>
public sealed class FakeNodeProcess : IAsyncDisposable
{
    private readonly WebApplication _server;
    private readonly AsyncDuplexStreamingCall<NodeReport, CoordinatorCommand> _session;
    private readonly Grpc.Net.Client.GrpcChannel _channel;

    private FakeNodeProcess(WebApplication server, Grpc.Net.Client.GrpcChannel channel, AsyncDuplexStreamingCall<NodeReport, CoordinatorCommand> session, string address)
    {
        _server = server;
        _channel = channel;
        _session = session;
        Address = address;
    }

    public string Address { get; }

    public static async Task<FakeNodeProcess> StartAsync<TService>(TService service, Uri coordinator, string topologyPath, params string[] nodes) where TService : class
    {
        var port = SpawnedProcess.FreePorts(1)[0];
        var address = $"http://127.0.0.1:{port}";
        var server = GrpcServer.Create("fake-node", $"127.0.0.1:{port}", services => services.AddSingleton(service));
        server.MapGrpcService<TService>();
        await server.StartAsync();
        var channel = GrpcEndpoints.Channel(coordinator);
        var session = new Control.ControlClient(channel).Session();
        await session.RequestStream.WriteAsync(new NodeReport
        {
            Register = new Register { Partition = string.Join(',', nodes), Nodes = { nodes }, TopologyHash = TopologyFile.Read(topologyPath).Fingerprint, Address = address },
        });
        return new FakeNodeProcess(server, channel, session, address);
    }

    public async ValueTask DisposeAsync()
    {
        _session.Dispose();
        _channel.Dispose();
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _server.StopAsync(stopping.Token);
        await _server.DisposeAsync();
    }
}
