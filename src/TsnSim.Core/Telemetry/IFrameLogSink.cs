namespace TsnSim.Core.Telemetry;

/// <summary>Receives every hop record as it happens, e.g. to write the frame log to a file.</summary>
public interface IFrameLogSink
{
    void OnHop(string node, in HopRecord hop);
}
