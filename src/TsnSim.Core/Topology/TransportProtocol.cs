namespace TsnSim.Core.Topology;

/// <summary>The transport a stream's frames carry when it is an IP flow.</summary>
public enum TransportProtocol
{
    Udp,
    Tcp,
}
