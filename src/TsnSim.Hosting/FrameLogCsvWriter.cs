using System.Globalization;
using TsnSim.Core.Telemetry;
using TsnSim.Core.Topology;

namespace TsnSim.Hosting;

/// <summary>
/// Writes the per-frame log as CSV, one line per hop, with port names instead of indices: as
/// the hops happen in a single process, or sorted into that same order by the coordinator.
/// </summary>
public sealed class FrameLogCsvWriter : IFrameLogSink, IDisposable
{
    private readonly StreamWriter _writer;
    private readonly string[] _portNames;
    private readonly string[] _streamNames;

    public FrameLogCsvWriter(string path, TopologyConfig topology)
    {
        _portNames = topology.PortNames();
        _streamNames = topology.Streams.Select(s => s.Name).ToArray();
        try
        {
            _writer = new StreamWriter(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"--frame-log: cannot write '{path}': {e.Message}");
        }
        _writer.WriteLine("frame_id,stream,sequence,from_port,to_port,tx_start_ps,arrival_ps,gate_wait_ps");
    }

    public void OnHop(string node, in HopRecord hop)
    {
        // Live streams (started or injected over gRPC) are not in the topology: the log gives their index.
        string stream = hop.StreamIndex < 0 ? "" : hop.StreamIndex < _streamNames.Length ? _streamNames[hop.StreamIndex] : hop.StreamIndex.ToString(CultureInfo.InvariantCulture);
        _writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{hop.FrameId},{stream},{hop.Sequence},{_portNames[hop.FromPort]},{_portNames[hop.ToPort]},{hop.TransmitStartPs},{hop.ArrivalPs},{hop.GateWaitPs}"));
    }

    public void Dispose() => _writer.Dispose();
}
