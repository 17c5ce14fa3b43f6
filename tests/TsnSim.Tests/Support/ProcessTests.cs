namespace TsnSim.Tests.Support;

/// <summary>
/// Tests that start many processes run one class at a time: on a 2-core machine, two of them
/// side by side would make each other's timeouts lie.
/// </summary>
[CollectionDefinition(Collection, DisableParallelization = true)]
public sealed class ProcessTests
{
    public const string Collection = "multi-process";
}
