using System.Security.Cryptography;
using TsnSim.Core.Simulation;
using TsnSim.Core.Time;
using TsnSim.Core.Topology;

namespace TsnSim.Hosting;

/// <summary>Reads a topology file from disk and loads it, turning every problem into a message that names the place.</summary>
public static class TopologyFile
{
    public static (TopologyLoadResult Result, string Fingerprint) Read(string path)
    {
        byte[] content;
        try
        {
            content = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UserInputException($"{path}: cannot read the topology file: {e.Message}");
        }
        return (TopologyLoader.Load(content, path), Convert.ToHexStringLower(SHA256.HashData(content)));
    }

    /// <summary>The run's settings: the file's seed and duration unless the command line overrides them.</summary>
    public static RunSettings SettingsFor(TopologyConfig topology, ulong? seed, SimTime? duration)
    {
        var runFor = duration ?? topology.Duration
            ?? throw new UserInputException($"{topology.SourceName}: the topology has no 'duration'; add one or pass --duration (for example --duration 10ms)");
        return new RunSettings(seed ?? topology.Seed, runFor, topology.Drain);
    }

    /// <summary>Loads the file and prints its warnings; throws with every error when it does not load.</summary>
    public static TopologyConfig Load(string path, TextWriter diagnostics) => LoadWithFingerprint(path, diagnostics).Topology;

    /// <summary>
    /// As <see cref="Load"/>, with the SHA-256 of the file's bytes: processes of one run compare
    /// it, so that two started with different files refuse to run together.
    /// </summary>
    public static LoadedTopology LoadWithFingerprint(string path, TextWriter diagnostics)
    {
        var (result, fingerprint) = Read(path);
        foreach (var warning in result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning))
            diagnostics.WriteLine(warning);
        if (result.Topology is { } topology) return new LoadedTopology(topology, path, fingerprint);
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        throw new UserInputException(string.Join(Environment.NewLine, errors) + Environment.NewLine
            + $"{path}: {errors.Count} error{(errors.Count == 1 ? "" : "s")}; the topology was not run");
    }
}
