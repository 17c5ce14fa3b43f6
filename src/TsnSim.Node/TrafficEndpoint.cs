using Grpc.Core;
using TsnSim.Hosting.Traffic;
using TsnSim.Protos.Traffic;

namespace TsnSim.Node;

/// <summary>
/// The TrafficService of a node process: each call is handed to the simulation loop, which
/// answers with the virtual time the request takes effect at. Refusals carry the status the
/// contract promises: INVALID_ARGUMENT naming the field, RESOURCE_EXHAUSTED when too much is
/// pending, FAILED_PRECONDITION when the run takes no live traffic.
/// </summary>
public sealed class TrafficEndpoint(NodeRuntime runtime) : TrafficService.TrafficServiceBase
{
    public override Task<InjectFramesReply> InjectFrames(InjectFramesRequest request, ServerCallContext context) =>
        Submit((h, now, end) => h.InjectFrames(request, now, end), context);

    public override Task<StartStreamReply> StartStream(StartStreamRequest request, ServerCallContext context) =>
        Submit((h, now, end) => h.StartStream(request, now, end), context);

    public override Task<StopStreamReply> StopStream(StopStreamRequest request, ServerCallContext context) =>
        Submit((h, now, end) => h.StopStream(request, now, end), context);

    public override Task<ListStreamsReply> ListStreams(ListStreamsRequest request, ServerCallContext context) =>
        Submit((h, now, _) => h.ListStreams(request, now), context, needsLiveInput: false);

    public override Task<SetterReply> SetApplicationPriority(SetApplicationPriorityRequest request, ServerCallContext context) =>
        Submit((h, now, end) => h.SetApplicationPriority(request, now, end), context);

    public override Task<SetterReply> SetRss(SetRssRequest request, ServerCallContext context) =>
        Submit((h, now, end) => h.SetRss(request, now, end), context);

    public override Task<SetterReply> SetRxRules(SetRxRulesRequest request, ServerCallContext context) =>
        Submit((h, now, end) => h.SetRxRules(request, now, end), context);

    public override Task<SetterReply> SetGateSchedule(SetGateScheduleRequest request, ServerCallContext context) =>
        Submit((h, now, end) => h.SetGateSchedule(request, now, end), context);

    public override Task<SetterReply> SetPowerState(SetPowerStateRequest request, ServerCallContext context) =>
        Submit((h, now, end) => h.SetPowerState(request, now, end), context);

    private async Task<T> Submit<T>(Func<LiveTrafficHandler, long, Core.Time.SimTime, T> work, ServerCallContext context, bool needsLiveInput = true)
        where T : class
    {
        var request = new LiveRequest((h, now, end) => work(h, now, end), needsLiveInput);
        runtime.Submit(request);
        try
        {
            return (T)await request.Reply.Task.WaitAsync(context.CancellationToken);
        }
        catch (InvalidTrafficRequestException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, e.Message));
        }
        catch (TrafficBusyException e)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, e.Message));
        }
    }
}
