using Grpc.Core;
using TsnSim.Protos.Link;

namespace TsnSim.Node;

/// <summary>The server side of Exchange: a peer whose partition name sorts first dials us.</summary>
public sealed class PeerLinkService(NodeRuntime runtime) : PeerLink.PeerLinkBase
{
    public override async Task Exchange(IAsyncStreamReader<LinkMessage> requestStream, IServerStreamWriter<LinkMessage> responseStream, ServerCallContext context)
    {
        if (!await requestStream.MoveNext(context.CancellationToken) || requestStream.Current.Hello is not { } hello)
            throw new RpcException(new Status(StatusCode.InvalidArgument, "the first message of Exchange must be a Hello naming the partition and topology"));
        var connection = await runtime.AcceptPeerAsync(hello, context.CancellationToken);
        await responseStream.WriteAsync(runtime.Hello(), context.CancellationToken);
        await connection.PumpAsync(requestStream, responseStream, runtime.Inbox, null, context.CancellationToken);
    }

    public override async Task Echo(IAsyncStreamReader<LinkMessage> requestStream, IServerStreamWriter<LinkMessage> responseStream, ServerCallContext context)
    {
        while (await requestStream.MoveNext(context.CancellationToken))
            await responseStream.WriteAsync(requestStream.Current, context.CancellationToken);
    }
}
