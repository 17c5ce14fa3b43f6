using System.Net;
using System.Net.Sockets;

namespace TsnSim.Cli.Launch;

/// <summary>Loopback ports nobody listens on, found by asking the OS for an ephemeral one.</summary>
public static class FreePorts
{
    public static int[] Take(int count)
    {
        // Hold every listener until all are chosen, so the OS never hands out one port twice.
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            foreach (var l in listeners) l.Start();
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var l in listeners) l.Stop();
        }
    }
}
