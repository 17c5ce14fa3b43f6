namespace TsnSim.Hosting.Traffic;

/// <summary>The node holds as much pending live traffic as it accepts; the client should wait and retry.</summary>
public sealed class TrafficBusyException(string message) : Exception(message);
