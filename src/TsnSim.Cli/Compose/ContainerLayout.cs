namespace TsnSim.Cli.Compose;

/// <summary>
/// Where things are inside the TsnSim image and on its network: the contract between the
/// Dockerfile, the generated compose file and the Node and Coordinator processes. Tests check
/// the Dockerfile against these, so change them together.
/// </summary>
public static class ContainerLayout
{
    public const string AppFolder = "/app";
    public const string NodeAssembly = AppFolder + "/TsnSim.Node.dll";
    public const string CoordinatorAssembly = AppFolder + "/TsnSim.Coordinator.dll";
    public const string CliAssembly = AppFolder + "/tsnsim.dll";

    /// <summary>Where the topology file's folder is mounted (and where the image keeps the examples).</summary>
    public const string TopologiesFolder = "/topologies";

    /// <summary>Where the coordinator writes its report; the host's ./reports is mounted there.</summary>
    public const string ReportsFolder = "/reports";
    public const string ReportFile = ReportsFolder + "/report.json";
    public const string MarkdownReportFile = ReportsFolder + "/report.md";
    /// <summary>Where the coordinator records live traffic for replay: beside the reports, which the host sees.</summary>
    public const string InjectionsFile = ReportsFolder + "/injections.jsonl";

    public const int CoordinatorPort = 50050;
    public const int NodePort = 50051;

    public const string CoordinatorService = "coordinator";
    public const string JaegerService = "jaeger";

    /// <summary>Pinned, so that a run today and a run next year see the same collector and UI.</summary>
    public const string JaegerImage = "jaegertracing/all-in-one:1.76.0";
    public const int JaegerUiPort = 16686;
    public const int OtlpGrpcPort = 4317;
}
