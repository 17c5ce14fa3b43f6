using TsnSim.Core.Frames;
using TsnSim.Core.Links;
using TsnSim.Core.Telemetry;
using TsnSim.Core.Time;

namespace TsnSim.Hosting.Capture;

/// <summary>
/// <c>--pcap DIR</c>: one pcapng file per port of this process's nodes, <c>NODE-PORT.pcapng</c>,
/// holding what a tap on the port's wire records: every frame sent and received, its first bit's
/// time as the timestamp (virtual time, as nanoseconds since the Unix epoch), without FCS.
/// </summary>
public sealed class PortCapture : IFrameCapture, IDisposable
{
    private readonly string _directory;
    private readonly string _topology;
    private readonly Dictionary<int, PcapngWriter> _writers = new();

    public PortCapture(string directory, string topology)
    {
        _directory = directory;
        _topology = topology;
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"--pcap: cannot create {directory}: {e.Message}");
        }
    }

    /// <summary>The file a port's capture goes to: port names may hold '/', which a file name may not.</summary>
    public static string FileName(string node, string port) => $"{node}-{port.Replace('/', '_')}.pcapng";

    public void OnFrame(Port port, Frame frame, SimTime firstBit, bool outbound)
    {
        if (!_writers.TryGetValue(port.GlobalIndex, out var writer))
        {
            var path = Path.Combine(_directory, FileName(port.Owner.Name, port.Name));
            try
            {
                writer = new PcapngWriter(new BufferedStream(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read), 1 << 16),
                    $"{port.Owner.Name}:{port.Name}", $"tsnsim topology {_topology}, port {port.Owner.Name}:{port.Name}; timestamps are virtual time since 1970-01-01");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UserInputException($"--pcap: cannot write {path}: {e.Message}");
            }
            _writers[port.GlobalIndex] = writer;
        }
        writer.Write(frame.Bytes, firstBit.Picoseconds / 1000, outbound);
    }

    public void Dispose()
    {
        foreach (var writer in _writers.Values) writer.Dispose();
        _writers.Clear();
    }
}
