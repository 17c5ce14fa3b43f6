using Grpc.Core;
using Grpc.Health.V1;
using TsnSim.Hosting;
using TsnSim.Protos.Control;
using TsnSim.Tests.Support;
using TsnSim.Tests.Topology;

namespace TsnSim.Tests.Distributed;

/// <summary>What a plain gRPC client (grpcurl, a script) sees: health, and INVALID_ARGUMENT with a reason for bad requests.</summary>
[Collection(ProcessTests.Collection)]
public class GrpcServiceContractTests
{
    private static readonly string Line = Path.Combine(RepositoryFiles.Root, "topologies", "line.yaml");

    private static async Task<T> WithCoordinatorAsync<T>(Func<Grpc.Net.Client.GrpcChannel, Task<T>> call)
    {
        var port = SpawnedProcess.FreePorts(1)[0];
        using var coordinator = SpawnedProcess.Coordinator("--topology", Line, "--listen", $"127.0.0.1:{port}", "--start-timeout", "60s");
        Assert.True(coordinator.WaitForOutput("listening on", TimeSpan.FromSeconds(30)), coordinator.Stderr);
        using var channel = GrpcEndpoints.Channel(new Uri($"http://127.0.0.1:{port}"));
        return await call(channel);
    }

    [Fact]
    public async Task TheCoordinatorAnswersHealthChecks()
    {
        var status = await WithCoordinatorAsync(async channel =>
            (await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest())).Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, status);
    }

    [Fact]
    public async Task ASessionThatDoesNotStartWithRegisterIsAnInvalidArgument()
    {
        var error = await WithCoordinatorAsync(async channel =>
        {
            using var call = new Control.ControlClient(channel).Session();
            await call.RequestStream.WriteAsync(new NodeReport { Progress = new Progress { VirtualTimePs = 1 } });
            return await Assert.ThrowsAsync<RpcException>(async () => await call.ResponseStream.MoveNext());
        });
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("Register", error.Status.Detail);
    }

    [Fact]
    public async Task RegisteringAnUnknownNodeIsAnInvalidArgumentNamingIt()
    {
        var (abort, error) = await WithCoordinatorAsync(async channel =>
        {
            using var call = new Control.ControlClient(channel).Session();
            await call.RequestStream.WriteAsync(new NodeReport
            {
                Register = new Register { Partition = "sw9", Nodes = { "sw9" }, TopologyHash = TopologyFile.Read(Line).Fingerprint, Address = "http://127.0.0.1:1" },
            });
            Assert.True(await call.ResponseStream.MoveNext());
            var first = call.ResponseStream.Current;
            return (first.Abort, await Assert.ThrowsAsync<RpcException>(async () => await call.ResponseStream.MoveNext()));
        });
        Assert.Contains("node 'sw9' is not in", abort.Reason);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("expected one of h1, sw1, sw2, sw3, h2", error.Status.Detail);
    }
}
