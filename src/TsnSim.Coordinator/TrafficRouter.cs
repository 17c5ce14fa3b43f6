using System.Collections.Concurrent;
using Grpc.Core;
using TsnSim.Core.Topology;
using TsnSim.Hosting;
using TsnSim.Protos.Traffic;

namespace TsnSim.Coordinator;

/// <summary>
/// Carries a client's TrafficService call to the node process that runs the request's node, so
/// a client needs only the coordinator's address. It checks no more than routing needs (the
/// node exists, is a host where only hosts may act, every node has registered); the node
/// validates the rest, and its status code and message reach the client unchanged.
/// </summary>
public sealed class TrafficRouter(RunCoordinator coordinator, TopologyConfig topology) : IDisposable
{
    /// <summary>One call of the node's TrafficService client, with the options of the incoming call.</summary>
    public delegate AsyncUnaryCall<TReply> NodeCall<TRequest, TReply>(TrafficService.TrafficServiceClient node, TRequest request, CallOptions options);

    // One channel per node process, made on first use and kept: several nodes may share a process.
    private readonly ConcurrentDictionary<string, Lazy<(Grpc.Net.Client.GrpcChannel Channel, TrafficService.TrafficServiceClient Client)>> _byAddress = new();

    /// <summary>Forwards one call for <paramref name="node"/>; <paramref name="hostOnly"/> when the node is the one that sends.</summary>
    public Task<TReply> ForwardAsync<TRequest, TReply>(string node, bool hostOnly, TRequest request, NodeCall<TRequest, TReply> call, ServerCallContext context)
    {
        CheckNode(node, hostOnly);
        return CallAsync(AddressesOfEveryNode()[node], $"node '{node}'", request, call, context);
    }

    /// <summary>
    /// ListStreams without a node: one call to every node process, which answers for all the
    /// hosts it runs; their streams merged in stream index order.
    /// </summary>
    public async Task<ListStreamsReply> ListEveryStreamAsync(ListStreamsRequest request, ServerCallContext context)
    {
        var processes = AddressesOfEveryNode().GroupBy(e => e.Value, e => e.Key);
        var replies = await Task.WhenAll(processes.Select(p =>
            CallAsync(p.Key, $"nodes {string.Join(", ", p)}", request, static (client, r, o) => client.ListStreamsAsync(r, o), context)));
        var merged = new ListStreamsReply
        {
            // Every node has simulated at least this far.
            EffectivePs = replies.Min(r => r.EffectivePs),
        };
        merged.Streams.AddRange(replies.SelectMany(r => r.Streams).OrderBy(s => s.Stream));
        return merged;
    }

    private async Task<TReply> CallAsync<TRequest, TReply>(string address, string whose, TRequest request, NodeCall<TRequest, TReply> call, ServerCallContext context)
    {
        var options = new CallOptions(deadline: context.Deadline == DateTime.MaxValue ? null : context.Deadline, cancellationToken: context.CancellationToken);
        try
        {
            using var pending = call(ClientFor(address), request, options);
            return await pending.ResponseAsync;
        }
        catch (RpcException e) when (e.Status.DebugException is null)
        {
            // The node answered: its verdict is the answer.
            throw new RpcException(e.Status);
        }
        catch (RpcException e)
        {
            // The call never reached the node: say which process could not be reached.
            throw new RpcException(new Status(StatusCode.Unavailable, $"the process of {whose} at {address} cannot be reached: {e.Status.Detail}"));
        }
    }

    private void CheckNode(string node, bool hostOnly)
    {
        var config = topology.Nodes.FirstOrDefault(n => n.Name == node);
        var hosts = string.Join(", ", topology.Nodes.Where(n => n.Kind == NodeKind.Host).Select(n => n.Name));
        if (node.Length == 0)
            throw InvalidArgument($"node: empty; expected the name of a node of {topology.Name}, one of {string.Join(", ", topology.Nodes.Select(n => n.Name))}");
        if (config is null)
        {
            var suggestion = NameSuggester.Suggest(node, topology.Nodes.Select(n => n.Name)) is { } near ? $" (did you mean '{near}'?)" : "";
            throw InvalidArgument($"node: '{node}' is not a node of {topology.Name}{suggestion}; expected one of {string.Join(", ", topology.Nodes.Select(n => n.Name))}");
        }
        if (hostOnly && config.Kind != NodeKind.Host)
            throw InvalidArgument($"node: '{node}' is a bridge, and only hosts send frames and streams; expected one of {hosts}");
    }

    /// <summary>Every node's address; UNAVAILABLE, naming the missing nodes, until all have registered.</summary>
    private IReadOnlyDictionary<string, string> AddressesOfEveryNode()
    {
        var addresses = coordinator.NodeAddresses();
        var missing = topology.Nodes.Select(n => n.Name).Where(n => !addresses.ContainsKey(n)).ToList();
        if (missing.Count > 0)
            throw new RpcException(new Status(StatusCode.Unavailable,
                $"the run has not started: nodes {string.Join(", ", missing.Select(m => $"'{m}'"))} have not registered with the coordinator yet; try again once they have"));
        return addresses;
    }

    private TrafficService.TrafficServiceClient ClientFor(string address) =>
        _byAddress.GetOrAdd(address, a => new(() =>
        {
            var channel = GrpcEndpoints.Channel(new Uri(a));
            return (channel, new TrafficService.TrafficServiceClient(channel));
        })).Value.Client;

    private static RpcException InvalidArgument(string message) => new(new Status(StatusCode.InvalidArgument, message));

    public void Dispose()
    {
        foreach (var entry in _byAddress.Values.Where(e => e.IsValueCreated)) entry.Value.Channel.Dispose();
    }
}
