namespace TsnSim.Tests.Tracing;

/// <summary>
/// Tests that listen to the TsnSim.Frames activity source run one class at a time: a listener
/// hears every span made in the process, so two such tests side by side would see each other's.
/// </summary>
[CollectionDefinition(Collection, DisableParallelization = true)]
public sealed class TracingTests
{
    public const string Collection = "frame-tracing";
}
