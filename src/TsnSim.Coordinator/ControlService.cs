using Grpc.Core;
using TsnSim.Protos.Control;

namespace TsnSim.Coordinator;

public sealed class ControlService(RunCoordinator coordinator) : Control.ControlBase
{
    public override Task Session(IAsyncStreamReader<NodeReport> requestStream, IServerStreamWriter<CoordinatorCommand> responseStream, ServerCallContext context) =>
        coordinator.ServeSessionAsync(requestStream, responseStream, context.CancellationToken);
}
