using System.Diagnostics;
using System.Text;

namespace TsnSim.Tests.Support;

/// <summary>
/// A TsnSim process (tsnsim, node or coordinator) started by a test, with its output collected
/// as it comes so the test can wait for a line; killed on dispose, so no test leaves orphans.
/// </summary>
public sealed class SpawnedProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    public SpawnedProcess(string assembly, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, assembly));
        foreach (var a in arguments) start.ArgumentList.Add(a);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("TSNSIM_", StringComparison.Ordinal)).ToList()) start.Environment.Remove(key);
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_stdout) _stdout.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }
    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    public static SpawnedProcess Coordinator(params string[] arguments) => new("TsnSim.Coordinator.dll", arguments);
    public static SpawnedProcess Node(params string[] arguments) => new("TsnSim.Node.dll", arguments);

    /// <summary>
    /// One process per node, each on its own loopback port (<paramref name="ports"/>[i + 1]),
    /// registering with the coordinator on <paramref name="ports"/>[0].
    /// </summary>
    public static Dictionary<string, SpawnedProcess> Nodes(string topology, IReadOnlyList<string> nodes, int[] ports) =>
        nodes.Select((name, i) => (name, process: Node("--topology", topology, "--node", name, "--coordinator", $"http://127.0.0.1:{ports[0]}",
            "--listen", $"127.0.0.1:{ports[i + 1]}", "--advertise", $"http://127.0.0.1:{ports[i + 1]}"))).ToDictionary(p => p.name, p => p.process);

    /// <summary>Waits until the standard output holds <paramref name="text"/>; false on timeout or exit.</summary>
    public bool WaitForOutput(string text, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (Stdout.Contains(text, StringComparison.Ordinal)) return true;
            if (_process.HasExited) return Stdout.Contains(text, StringComparison.Ordinal);
            Thread.Sleep(50);
        }
        return false;
    }

    /// <summary>Waits for the process to end; false when it is still running at the timeout.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout)) return false;
        _process.WaitForExit();
        return true;
    }

    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>Sends SIGINT, as Ctrl-C in a terminal does to every process of its group.</summary>
    public void Interrupt()
    {
        using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }

    /// <summary>Loopback ports nobody listens on: the launcher's own way of choosing them.</summary>
    public static int[] FreePorts(int count) => TsnSim.Cli.Launch.FreePorts.Take(count);
}
