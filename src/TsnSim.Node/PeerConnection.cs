using System.Threading.Channels;
using Grpc.Core;
using TsnSim.Protos.Link;

namespace TsnSim.Node;

/// <summary>
/// One Exchange stream with a neighbouring process, whichever side opened it. Outgoing messages
/// wait in a queue drained by one writer task; incoming ones go to the run's inbox. The queue
/// has no count limit on purpose: the simulation loop must never block on a send while its
/// own inbox fills, or two busy neighbours would wait on each other for ever. What bounds it is
/// the horizon window: a peer lets us run only a window of virtual time ahead of it.
/// </summary>
public sealed class PeerConnection
{
    private readonly Channel<LinkMessage> _outgoing = Channel.CreateUnbounded<LinkMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PeerConnection(string peer) => Peer = peer;

    public string Peer { get; }

    /// <summary>True once the peer said it has finished: errors on the stream after that do not matter.</summary>
    public bool PeerTerminated { get; set; }

    /// <summary>Completes when both directions are done or the stream failed.</summary>
    public Task Closed => _closed.Task;

    /// <summary>Queues a message; false when the stream is already closed.</summary>
    public bool Send(LinkMessage message) => _outgoing.Writer.TryWrite(message);

    public void CompleteSending() => _outgoing.Writer.TryComplete();

    /// <summary>
    /// Pumps the stream until it ends: writes what is queued, hands what arrives to
    /// <paramref name="inbox"/>. A failure is reported there too, as (peer, null, error).
    /// </summary>
    public async Task PumpAsync(IAsyncStreamReader<LinkMessage> reader, IAsyncStreamWriter<LinkMessage> writer,
        ChannelWriter<PeerInput> inbox, Func<Task>? completeWrites, CancellationToken cancel)
    {
        var writing = Task.Run(async () =>
        {
            await foreach (var message in _outgoing.Reader.ReadAllAsync(cancel))
                await writer.WriteAsync(message, cancel);
            if (completeWrites is not null) await completeWrites();
        }, cancel);
        try
        {
            while (await reader.MoveNext(cancel))
                await inbox.WriteAsync(new PeerInput(Peer, reader.Current, null), cancel);
            await writing;
        }
        catch (Exception e) when (e is RpcException or IOException or OperationCanceledException or InvalidOperationException)
        {
            // Waits for room: a failure dropped on a full inbox would leave the run waiting for ever.
            if (!PeerTerminated && !cancel.IsCancellationRequested)
                await inbox.WriteAsync(new PeerInput(Peer, null, $"the link stream with '{Peer}' broke: {Describe(e)}"), cancel).AsTask().ContinueWith(_ => { }, TaskScheduler.Default);
        }
        finally
        {
            _outgoing.Writer.TryComplete();
            _closed.TrySetResult();
        }
    }

    public static string Describe(Exception e) => e is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : e.Message;
}
