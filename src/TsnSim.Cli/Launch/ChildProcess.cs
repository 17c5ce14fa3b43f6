using System.Diagnostics;

namespace TsnSim.Cli.Launch;

/// <summary>
/// A node or coordinator process started by <c>tsnsim up</c>: its output lines are forwarded with
/// its name in front, and it is killed (with any children) when the launcher is disposed.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;

    public ChildProcess(string name, string assembly, IEnumerable<string> arguments, Action<string, string, bool> onLine)
    {
        Name = name;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        // Settings come from the flags alone: a TSNSIM_* variable in the user's shell must not change the run.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("TSNSIM_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(key);
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) onLine(name, e.Data, false); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) onLine(name, e.Data, true); };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public Task WaitAsync(CancellationToken cancel) => _process.WaitForExitAsync(cancel);

    public void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public void Dispose()
    {
        Kill();
        try
        {
            // The parameterless wait also waits for the last output lines to be forwarded.
            if (_process.WaitForExit(5000)) _process.WaitForExit();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }
}
