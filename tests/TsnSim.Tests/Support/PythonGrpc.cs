using System.Diagnostics;
using TsnSim.Tests.Topology;

namespace TsnSim.Tests.Support;

/// <summary>
/// The Python that runs examples/python: one that imports grpc and protobuf, with a compiler
/// for its stubs (see examples/python/generate.sh). .ci/run installs Debian's packages for it.
/// </summary>
public static class PythonGrpc
{
    public static string Examples => Path.Combine(RepositoryFiles.Root, "examples", "python");

    private static readonly Lazy<(string? Python, string Missing)> Found = new(Find);

    /// <summary>The interpreter, or null when this machine has none fit to run the example.</summary>
    public static string? Python => Found.Value.Python;

    /// <summary>Why the example cannot run here: what to install.</summary>
    public static string Missing => Found.Value.Missing;

    private static (string?, string) Find()
    {
        // Debian's interpreter first: the apt packages serve it, whatever python3 comes first on PATH.
        foreach (var python in new[] { "/usr/bin/python3", "python3" })
        {
            if (Run(python, "-c", "import grpc, google.protobuf").Code != 0) continue;
            bool compiler = Run("sh", "-c", "command -v protoc && command -v grpc_python_plugin").Code == 0
                || Run(python, "-c", "import grpc_tools.protoc").Code == 0;
            if (compiler) return (python, "");
        }
        return (null, "Python gRPC is not installed (Debian: apt-get install python3-grpcio python3-protobuf protobuf-compiler protobuf-compiler-grpc; .ci/run does this)");
    }

    /// <summary>Runs a program to its end; exit code 127 when it cannot be started.</summary>
    public static (int Code, string Stdout, string Stderr) Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
            {
                process.Kill(entireProcessTree: true);
                return (124, stdout.Result, stderr.Result + $"\n{program} did not finish within a minute");
            }
            return (process.ExitCode, stdout.Result, stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (127, "", $"{program} is not installed");
        }
    }
}
