using System.Net;
using Grpc.Net.Client;

namespace TsnSim.Hosting;

/// <summary>
/// Transport settings shared by every TsnSim process. The streams of a run live as long as the
/// run and can stay quiet for a long time (a node waiting for a slow peer), so the web server's
/// minimum data rates, meant for uploads, must not cut them; keep-alive pings find a peer that
/// vanished without closing its connection (a container killed, a cable pulled).
/// </summary>
public static class GrpcEndpoints
{
    public static readonly TimeSpan KeepAlivePingDelay = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan KeepAlivePingTimeout = TimeSpan.FromSeconds(10);
    public const int MaxMessageBytes = 256 << 20;

    public static GrpcChannel Channel(Uri address) => GrpcChannel.ForAddress(address, new GrpcChannelOptions
    {
        MaxReceiveMessageSize = MaxMessageBytes,
        MaxSendMessageSize = MaxMessageBytes,
        HttpHandler = new SocketsHttpHandler
        {
            KeepAlivePingDelay = KeepAlivePingDelay,
            KeepAlivePingTimeout = KeepAlivePingTimeout,
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        },
    });

    public static IPEndPoint ParseListen(string listen, string program) =>
        IPEndPoint.TryParse(listen, out var endpoint)
            ? endpoint
            : throw new UserInputException($"{program}: --listen '{listen}' is not an address:port such as 0.0.0.0:50051");
}
