using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using TsnSim.Cli.Launch;
using TsnSim.Hosting;
using TsnSim.Protos.Link;

namespace TsnSim.Cli.Commands;

/// <summary>
/// The transport's own cost, without any simulation: round trips of a promise-sized message and
/// of a batch of 1500-byte frames through a node process's Echo method on loopback. One-way
/// latency is half the median round trip.
/// </summary>
public static class GrpcBench
{
    public static async Task<int> RunAsync(string topologyPath, string node, int rounds, CancellationToken cancel)
    {
        var port = FreePorts.Take(2);
        var nodeDll = Path.Combine(AppContext.BaseDirectory, "TsnSim.Node.dll");
        // The node waits for a coordinator that never comes; its gRPC server answers meanwhile.
        using var echo = new ChildProcess("echo", nodeDll,
            ["--topology", topologyPath, "--node", node, "--coordinator", $"http://127.0.0.1:{port[1]}", "--listen", $"127.0.0.1:{port[0]}", "--connect-timeout", "600s"],
            (_, _, _) => { });
        using var channel = GrpcEndpoints.Channel(new Uri($"http://127.0.0.1:{port[0]}"));
        var client = new PeerLink.PeerLinkClient(channel);
        var promise = new LinkMessage { Batch = new LinkBatch { Promises = { new TimePromise { Link = 1, UntilPs = 123_456_789 } } } };
        var frames = new LinkMessage { Batch = new LinkBatch { PackedFrames = ByteString.CopyFrom(new byte[100 * (PackedFrames.HeaderBytes + 1496)]) } };
        foreach (var (name, message) in new[] { ("promise", promise), ("100 frames of 1500 B", frames) })
        {
            var rtts = await RoundTripsAsync(client, message, rounds, cancel);
            double median = rtts[rtts.Count / 2];
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name} ({message.CalculateSize()} B): round trip median {median:0.0} us, p99 {rtts[(int)(rtts.Count * 0.99)]:0.0} us, grpc_one_way_us={median / 2:0.0}"));
        }
        var (framesPerSecond, megabytesPerSecond) = await ThroughputAsync(client, cancel);
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"throughput: 100,000 frames of 1500 B through Echo and back, 40 to a message: {framesPerSecond:0} frames/s each way, {megabytesPerSecond:0} MB/s each way"));
        return ExitCodes.Success;
    }

    /// <summary>
    /// Frames through the transport as fast as it takes them: a writer and a reader on one
    /// stream, so the figure is the pipe's capacity (send, echo, receive), not one round trip.
    /// </summary>
    private static async Task<(double FramesPerSecond, double MegabytesPerSecond)> ThroughputAsync(PeerLink.PeerLinkClient client, CancellationToken cancel)
    {
        const int frames = 100_000, perMessage = 40, frameBytes = 1500;
        var message = new LinkMessage { Batch = new LinkBatch { PackedFrames = ByteString.CopyFrom(new byte[perMessage * (PackedFrames.HeaderBytes + frameBytes - 4)]) } };
        using var call = client.Echo(cancellationToken: cancel);
        var clock = Stopwatch.StartNew();
        var writing = Task.Run(async () =>
        {
            for (int i = 0; i < frames / perMessage; i++) await call.RequestStream.WriteAsync(message, cancel);
            await call.RequestStream.CompleteAsync();
        }, cancel);
        long received = 0;
        while (await call.ResponseStream.MoveNext(cancel)) received += call.ResponseStream.Current.Batch.PackedFrames.Length;
        await writing;
        double seconds = clock.Elapsed.TotalSeconds;
        return (frames / seconds, received / 1e6 / seconds);
    }

    private static async Task<List<double>> RoundTripsAsync(PeerLink.PeerLinkClient client, LinkMessage message, int rounds, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var call = client.Echo(cancellationToken: cancel);
                var rtts = new List<double>();
                for (int i = 0; i < rounds + rounds / 10; i++)
                {
                    long start = Stopwatch.GetTimestamp();
                    await call.RequestStream.WriteAsync(message, cancel);
                    if (!await call.ResponseStream.MoveNext(cancel)) throw new InvalidOperationException("the echo stream ended early");
                    // The first tenth warms the path up and is not counted.
                    if (i >= rounds / 10) rtts.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
                }
                await call.RequestStream.CompleteAsync();
                rtts.Sort();
                return rtts;
            }
            catch (Grpc.Core.RpcException e) when (e.StatusCode == Grpc.Core.StatusCode.Unavailable && clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(100, cancel);
            }
        }
    }
}
