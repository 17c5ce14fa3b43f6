namespace TsnSim.Tests.Topology;

/// <summary>Finds files of the repository from the test's output folder, wherever the build put it.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string TopologiesFolder => Path.Combine(Root, "topologies");

    public static string Topology(string fileName) => Path.Combine(TopologiesFolder, fileName);

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "TsnSim.sln"))) return folder.FullName;
        throw new InvalidOperationException($"no folder above {AppContext.BaseDirectory} holds TsnSim.sln");
    }
}
