using System.Collections.Concurrent;
using Grpc.Core;
using TsnSim.Hosting;
using TsnSim.Protos.Traffic;
using TsnSim.Tests.Support;
using TsnSim.Tests.Topology;

namespace TsnSim.Tests.Distributed;

/// <summary>
/// The coordinator's TrafficService: a client names a node and the call reaches that node's
/// process; what routing refuses, it refuses naming the field; what the node answers reaches
/// the client unchanged. The node processes here are stand-ins whose answers the test knows.
/// </summary>
[Collection(ProcessTests.Collection)]
public class TrafficRoutingTests
{
    private static readonly string Line = RepositoryFiles.Topology("line.yaml");
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>A node process's TrafficService that answers from the node's name, so the test knows who answered.</summary>
    public sealed class ScriptedNode : TrafficService.TrafficServiceBase
    {
        public const long InjectedAtPs = 5_000_000_000;
        public const string Flooded = "h2";
        public static readonly string FloodMessage = "node h2: 2048 frames pending; at most 1024 accepted";

        public ConcurrentQueue<InjectFramesRequest> Injections { get; } = new();
        public ConcurrentQueue<string> Listed { get; } = new();
        public List<StreamInfo> Streams { get; } = [];
        public long ListedAtPs { get; set; }

        public override Task<InjectFramesReply> InjectFrames(InjectFramesRequest request, ServerCallContext context)
        {
            Injections.Enqueue(request);
            if (request.Node == Flooded) throw new RpcException(new Status(StatusCode.ResourceExhausted, FloodMessage));
            return Task.FromResult(new InjectFramesReply { EffectivePs = InjectedAtPs, FrameIds = { Enumerable.Range(0, request.Frames.Count).Select(i => 100L + i) } });
        }

        public ConcurrentQueue<SetRxRulesRequest> RuleSets { get; } = new();

        public override Task<SetterReply> SetRxRules(SetRxRulesRequest request, ServerCallContext context)
        {
            RuleSets.Enqueue(request);
            return Task.FromResult(new SetterReply { EffectivePs = InjectedAtPs });
        }

        public override Task<ListStreamsReply> ListStreams(ListStreamsRequest request, ServerCallContext context)
        {
            // As a node process does: an empty node means every host it runs.
            Listed.Enqueue(request.Node);
            return Task.FromResult(new ListStreamsReply { EffectivePs = ListedAtPs, Streams = { Streams.Where(s => request.Node.Length == 0 || s.Talker == request.Node) } });
        }
    }

    private static async Task<T> WithCoordinatorAsync<T>(Func<Uri, TrafficService.TrafficServiceClient, Task<T>> test)
    {
        var port = SpawnedProcess.FreePorts(1)[0];
        using var coordinator = SpawnedProcess.Coordinator("--topology", Line, "--listen", $"127.0.0.1:{port}", "--start-timeout", "60s");
        Assert.True(coordinator.WaitForOutput("listening on", Patience), coordinator.Stderr);
        var address = new Uri($"http://127.0.0.1:{port}");
        using var channel = GrpcEndpoints.Channel(address);
        return await test(address, new TrafficService.TrafficServiceClient(channel));
    }

    private static InjectFramesRequest OneFrameFrom(string node) =>
        new() { Node = node, Frames = { new FrameSpec { Described = new DescribedFrame { DestinationNode = "h2" } } } };

    [Fact]
    public async Task AnUnknownNodeIsAnInvalidArgumentNamingTheFieldAndTheNearestName()
    {
        var error = await WithCoordinatorAsync((_, client) => Assert.ThrowsAsync<RpcException>(async () => await client.InjectFramesAsync(OneFrameFrom("sw4"))));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        // line.yaml has h1, sw1, sw2, sw3, h2: sw4 is one letter from sw1, sw2 and sw3; the first is offered.
        Assert.StartsWith("node: 'sw4' is not a node of line (did you mean 'sw1'?)", error.Status.Detail);
        Assert.Contains("h1, sw1, sw2, sw3, h2", error.Status.Detail);
    }

    [Fact]
    public async Task ABridgeCannotSendFramesOrStreams()
    {
        var (frames, stream) = await WithCoordinatorAsync(async (_, client) => (
            await Assert.ThrowsAsync<RpcException>(async () => await client.InjectFramesAsync(OneFrameFrom("sw2"))),
            await Assert.ThrowsAsync<RpcException>(async () => await client.StartStreamAsync(new StartStreamRequest { Node = "sw2", PeriodPs = 1_000_000 }))));
        foreach (var error in new[] { frames, stream })
        {
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
            Assert.StartsWith("node: 'sw2' is a bridge", error.Status.Detail);
        }
    }

    [Fact]
    public async Task BeforeEveryNodeHasRegisteredCallsAreUnavailableNamingTheMissingNodes()
    {
        var error = await WithCoordinatorAsync(async (address, client) =>
        {
            await using var h1 = await FakeNodeProcess.StartAsync(new ScriptedNode(), address, Line, "h1");
            // Registration is asynchronous: wait until the coordinator no longer counts h1 as missing.
            RpcException last;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            do
            {
                last = await Assert.ThrowsAsync<RpcException>(async () => await client.InjectFramesAsync(OneFrameFrom("h1")));
            }
            while (last.Status.Detail.Contains("'h1'") && clock.Elapsed < Patience && await Task.Delay(50).ContinueWith(_ => true));
            return last;
        });
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains("'sw1', 'sw2', 'sw3', 'h2' have not registered", error.Status.Detail);
        Assert.DoesNotContain("'h1'", error.Status.Detail);
    }

    /// <summary>Line.yaml's nodes in two stand-in processes: h1, sw1, sw2 in one, sw3, h2 in the other.</summary>
    private static async Task RunWithEveryNodeRegisteredAsync(Func<Uri, TrafficService.TrafficServiceClient, ScriptedNode, ScriptedNode, Task> test) =>
        await WithCoordinatorAsync(async (address, client) =>
        {
            var first = new ScriptedNode();
            var second = new ScriptedNode();
            await using var a = await FakeNodeProcess.StartAsync(first, address, Line, "h1", "sw1", "sw2");
            await using var b = await FakeNodeProcess.StartAsync(second, address, Line, "sw3", "h2");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (clock.Elapsed < Patience)
            {
                try
                {
                    await client.ListStreamsAsync(new ListStreamsRequest { Node = "sw1" });
                    break;
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
                {
                    await Task.Delay(50);
                }
            }
            await test(address, client, first, second);
            return 0;
        });

    [Fact]
    public async Task ACallReachesTheProcessOfItsNodeAndTheNodesAnswerPassesThroughUnchanged()
    {
        await RunWithEveryNodeRegisteredAsync(async (_, client, first, second) =>
        {
            var request = OneFrameFrom("h1");
            request.When = new When { AtPs = 7 };
            var reply = await client.InjectFramesAsync(request);
            Assert.Equal(ScriptedNode.InjectedAtPs, reply.EffectivePs);
            Assert.Equal([100L], reply.FrameIds);
            Assert.True(first.Injections.TryDequeue(out var received));
            Assert.Equal(request, received);
            Assert.Empty(second.Injections);

            var flooded = await Assert.ThrowsAsync<RpcException>(async () => await client.InjectFramesAsync(OneFrameFrom(ScriptedNode.Flooded)));
            Assert.Equal(StatusCode.ResourceExhausted, flooded.StatusCode);
            Assert.Equal(ScriptedNode.FloodMessage, flooded.Status.Detail);
            Assert.Single(second.Injections);
        });
    }

    [Fact]
    public async Task ListingWithoutANodeAsksEveryNodeProcessOnceAndMergesByStreamIndex()
    {
        await RunWithEveryNodeRegisteredAsync(async (_, client, first, second) =>
        {
            first.Streams.AddRange([new StreamInfo { Name = "h1-inj-0", Stream = 3, Talker = "h1" }, new StreamInfo { Name = "control", Stream = 0, Talker = "h1" }]);
            first.ListedAtPs = 500;
            second.Streams.Add(new StreamInfo { Name = "bulk", Stream = 1, Talker = "h2" });
            second.ListedAtPs = 300;
            var reply = await client.ListStreamsAsync(new ListStreamsRequest());
            Assert.Equal(["control", "bulk", "h1-inj-0"], reply.Streams.Select(s => s.Name));
            // Both processes have simulated at least to the lesser of their times.
            Assert.Equal(300, reply.EffectivePs);
            // (The first process was asked about sw1 once, to see that every node had registered.)
            Assert.Equal([""], first.Listed.Where(n => n != "sw1"));
            Assert.Equal([""], second.Listed);
        });
    }

    [Fact]
    public async Task TheInjectCommandPrintsTheRepliesAndExitsByTheStatus()
    {
        await RunWithEveryNodeRegisteredAsync(async (address, _, first, _) =>
        {
            var sent = await Task.Run(() => CliProcess.Run("inject", "--address", address.ToString(), "frames", "h1", "--to", "h2", "--pcp", "6", "--size", "128", "--count", "3", "--at", "5ms"));
            Assert.True(sent.ExitCode == 0, sent.Stderr);
            Assert.Equal(["effective=5ms", "effective_ps=5000000000", "frame_id=100", "frame_id=101", "frame_id=102"], sent.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            Assert.True(first.Injections.TryDequeue(out var request));
            Assert.Equal(5_000_000_000, request.When.AtPs);
            Assert.Equal(3, request.Frames.Count);
            var frame = request.Frames[0].Described;
            Assert.Equal(("h2", 6u, false), (frame.DestinationNode, frame.Pcp, frame.HasVlan));
            // 128 bytes on the wire = 14 (Ethernet header) + 4 (802.1Q tag, for PCP 6) + 32 (stream header) + payload + 4 (FCS).
            Assert.Equal(128u - 14 - 4 - 32 - 4, frame.PayloadSize);

            var flooded = await Task.Run(() => CliProcess.Run("inject", "--address", address.ToString(), "frames", ScriptedNode.Flooded, "--to", "h1"));
            Assert.Equal(3, flooded.ExitCode);
            Assert.Equal($"tsnsim inject frames: RESOURCE_EXHAUSTED: {ScriptedNode.FloodMessage}", flooded.Stderr.Trim());

            var unknown = await Task.Run(() => CliProcess.Run("inject", "--address", address.ToString(), "frames", "h9"));
            Assert.Equal(2, unknown.ExitCode);
            Assert.StartsWith("tsnsim inject frames: INVALID_ARGUMENT: node: 'h9' is not a node of line", unknown.Stderr);
        });
    }

    [Fact]
    public async Task TheRxRulesCommandSendsItsRulesAsWrittenToTheProcessOfTheHost()
    {
        await RunWithEveryNodeRegisteredAsync(async (address, _, _, second) =>
        {
            var set = await Task.Run(() => CliProcess.Run("inject", "--address", address.ToString(), "rx-rules", "h2", "--port", "eth0", "--at", "5ms",
                "--rule", "name=ptp,ethertype=0x88f7,vlan=3,pcp=6,queue=1", "--rule", "proto=udp,src=fe80::1,dst=10.0.0.2,src_port=5000,dst_port=319,queue=2"));
            Assert.True(set.ExitCode == 0, set.Stderr);
            Assert.Equal(["effective=5ms", "effective_ps=5000000000"], set.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            Assert.True(second.RuleSets.TryDequeue(out var request));
            Assert.Equal(("h2", "eth0", 5_000_000_000L), (request.Node, request.Port, request.When.AtPs));
            Assert.Equal([
                new RxRule { Name = "ptp", Ethertype = 0x88F7, Vlan = 3, Pcp = 6, Queue = 1 },
                new RxRule { Name = "rule1", Proto = "udp", Src = "fe80::1", Dst = "10.0.0.2", SrcPort = 5000, DstPort = 319, Queue = 2 },
            ], request.Rules);

            var cleared = await Task.Run(() => CliProcess.Run("inject", "--address", address.ToString(), "rx-rules", "h2", "--clear"));
            Assert.True(cleared.ExitCode == 0, cleared.Stderr);
            Assert.True(second.RuleSets.TryDequeue(out var clearing));
            Assert.Empty(clearing.Rules);
            Assert.True(clearing.When.Asap);
        });
    }
}
