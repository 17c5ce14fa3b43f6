namespace TsnSim.Cli.Compose;

/// <summary>What the compose file is generated for, beyond the topology itself.</summary>
/// <param name="TopologyPath">
/// The topology file as seen from the folder the compose file is in (relative paths resolve
/// from there in compose), with '/' separators, e.g. <c>topologies/line.yaml</c>.
/// </param>
/// <param name="Image">The image every TsnSim service runs, built from the Dockerfile once.</param>
/// <param name="OutputFileName">The compose file's own name, for the "regenerate with" line of its header.</param>
public sealed record ComposeFileSettings(
    string TopologyPath,
    string Image = ComposeFileSettings.DefaultImage,
    string OutputFileName = ComposeFileSettings.DefaultOutputFileName)
{
    public const string DefaultImage = "tsnsim:latest";
    public const string DefaultOutputFileName = "docker-compose.yml";
}
