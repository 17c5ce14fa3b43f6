using Grpc.Core;
using TsnSim.Protos.Telemetry;

namespace TsnSim.Coordinator;

public sealed class TelemetryService(RunCoordinator coordinator) : Telemetry.TelemetryBase
{
    public override async Task<TelemetryAck> Publish(IAsyncStreamReader<TelemetryBatch> requestStream, ServerCallContext context)
    {
        try
        {
            while (await requestStream.MoveNext(context.CancellationToken))
                coordinator.AcceptTelemetry(requestStream.Current);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or FormatException)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, e.Message));
        }
        return new TelemetryAck();
    }
}
