using TsnSim.Hosting;
namespace TsnSim.Cli.Compose;

/// <summary>
/// How the topology file reaches the containers: its folder, bind-mounted read-only at
/// <see cref="ContainerLayout.TopologiesFolder"/>, so a topology edited on the host needs no
/// rebuild (and files beside it, should a topology ever refer to one, come along).
/// </summary>
/// <param name="Volume">The compose short volume syntax, e.g. <c>./topologies:/topologies:ro</c>.</param>
/// <param name="ContainerFile">The file's path inside the containers, e.g. <c>/topologies/line.yaml</c>.</param>
internal sealed record TopologyMount(string Volume, string ContainerFile)
{
    public static TopologyMount For(string topologyPath)
    {
        var path = topologyPath.Replace('\\', '/');
        var slash = path.LastIndexOf('/');
        var folder = slash < 0 ? "" : slash == 0 ? "/" : path[..slash];
        var file = path[(slash + 1)..];
        if (file.Length == 0)
            throw new UserInputException($"{topologyPath}: not a file path");

        // Compose takes a host path for a bind mount only when it starts with '.' or '/' (or a drive).
        var hostFolder = folder.Length == 0 ? "." : IsExplicit(folder) ? folder : "./" + folder;
        // The short syntax separates its fields with ':'; a drive letter's is the one colon it understands.
        if (hostFolder.IndexOf(':', HasDriveLetter(hostFolder) ? 2 : 0) >= 0)
            throw new UserInputException($"{topologyPath}: a compose volume cannot name a folder with ':' in it; move the topology file");
        return new TopologyMount($"{hostFolder}:{ContainerLayout.TopologiesFolder}:ro", $"{ContainerLayout.TopologiesFolder}/{file}");
    }

    private static bool HasDriveLetter(string path) => path.Length > 1 && char.IsAsciiLetter(path[0]) && path[1] == ':';

    private static bool IsExplicit(string folder) =>
        folder.StartsWith('/') || HasDriveLetter(folder) || folder is "." or ".."
        || folder.StartsWith("./", StringComparison.Ordinal) || folder.StartsWith("../", StringComparison.Ordinal);
}
