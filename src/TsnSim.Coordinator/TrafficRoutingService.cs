using Grpc.Core;
using TsnSim.Protos.Traffic;

namespace TsnSim.Coordinator;

/// <summary>The coordinator's TrafficService: every call goes on to the process of the node it names.</summary>
public sealed class TrafficRoutingService(TrafficRouter router) : TrafficService.TrafficServiceBase
{
    public override Task<InjectFramesReply> InjectFrames(InjectFramesRequest request, ServerCallContext context) =>
        router.ForwardAsync(request.Node, hostOnly: true, request, static (node, r, o) => node.InjectFramesAsync(r, o), context);

    public override Task<StartStreamReply> StartStream(StartStreamRequest request, ServerCallContext context) =>
        router.ForwardAsync(request.Node, hostOnly: true, request, static (node, r, o) => node.StartStreamAsync(r, o), context);

    public override Task<StopStreamReply> StopStream(StopStreamRequest request, ServerCallContext context) =>
        router.ForwardAsync(request.Node, hostOnly: false, request, static (node, r, o) => node.StopStreamAsync(r, o), context);

    public override Task<ListStreamsReply> ListStreams(ListStreamsRequest request, ServerCallContext context) =>
        request.Node.Length == 0
            ? router.ListEveryStreamAsync(request, context)
            : router.ForwardAsync(request.Node, hostOnly: false, request, static (node, r, o) => node.ListStreamsAsync(r, o), context);

    public override Task<SetterReply> SetApplicationPriority(SetApplicationPriorityRequest request, ServerCallContext context) =>
        router.ForwardAsync(request.Node, hostOnly: false, request, static (node, r, o) => node.SetApplicationPriorityAsync(r, o), context);

    public override Task<SetterReply> SetRss(SetRssRequest request, ServerCallContext context) =>
        router.ForwardAsync(request.Node, hostOnly: false, request, static (node, r, o) => node.SetRssAsync(r, o), context);

    public override Task<SetterReply> SetRxRules(SetRxRulesRequest request, ServerCallContext context) =>
        router.ForwardAsync(request.Node, hostOnly: false, request, static (node, r, o) => node.SetRxRulesAsync(r, o), context);

    public override Task<SetterReply> SetGateSchedule(SetGateScheduleRequest request, ServerCallContext context) =>
        router.ForwardAsync(request.Node, hostOnly: false, request, static (node, r, o) => node.SetGateScheduleAsync(r, o), context);

    public override Task<SetterReply> SetPowerState(SetPowerStateRequest request, ServerCallContext context) =>
        router.ForwardAsync(request.Node, hostOnly: false, request, static (node, r, o) => node.SetPowerStateAsync(r, o), context);
}
