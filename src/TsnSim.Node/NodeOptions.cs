using TsnSim.Core.Distributed;
using TsnSim.Core.Time;
using TsnSim.Hosting;
using TsnSim.Hosting.Tracing;

namespace TsnSim.Node;

/// <summary>How a node process is configured: flags, else TSNSIM_* environment variables (compose).</summary>
public sealed record NodeOptions(string TopologyPath, IReadOnlyList<string> Nodes, Uri Coordinator, string Listen, Uri Advertise, SimTime Window, TimeSpan ConnectTimeout)
{
    private static readonly string[] Known = ["topology", "node", "nodes", "coordinator", "listen", "advertise", "window", "connect-timeout", "trace", "trace-dir", "pcap"];

    /// <summary>Where this process exports frame traces (which streams, and the epoch, come from the coordinator).</summary>
    public TraceSettings Tracing { get; init; } = TraceSettings.None;

    /// <summary>Where to write a pcapng file per port of this process's nodes, if anywhere.</summary>
    public string? PcapDirectory { get; init; }

    public static NodeOptions Parse(string[] args)
    {
        var options = new ProcessOptions("tsnsim-node", args, Known);
        var topology = options.Require("topology", "topologies/line.yaml");
        var nodeList = options.Get("nodes") ?? options.Require("node", "sw1");
        var nodes = nodeList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (nodes.Length == 0) throw new UserInputException("tsnsim-node: --node names no node; expected a node name or a comma-separated list");
        var coordinator = ParseUrl(options.Require("coordinator", "http://coordinator:50050"), "coordinator");
        var listen = options.Get("listen") ?? "0.0.0.0:50051";
        var advertise = ParseUrl(options.Get("advertise") ?? $"http://{nodes[0]}:{PortOf(listen)}", "advertise");
        var window = options.GetDuration("window") ?? ConservativeSynchronizer.DefaultWindow;
        var connectTimeout = TimeSpan.FromSeconds(options.GetDuration("connect-timeout")?.TotalSeconds ?? 30);
        return new NodeOptions(topology, nodes, coordinator, listen, advertise, window, connectTimeout)
        {
            Tracing = TraceSettings.Parse(options.Get("trace"), options.Get("trace-dir"), null, null),
            PcapDirectory = options.Get("pcap"),
        };
    }

    public static Uri ParseUrl(string text, string option) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new UserInputException($"--{option} '{text}' is not an http:// address; expected for example http://coordinator:50050");

    private static string PortOf(string listen) => listen[(listen.LastIndexOf(':') + 1)..];
}
