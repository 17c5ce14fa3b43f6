using TsnSim.Core.Time;
using TsnSim.Hosting.Traffic;

namespace TsnSim.Node;

/// <summary>
/// A TrafficService call waiting for the simulation loop, which alone may touch the model:
/// <see cref="Work"/> runs there with the earliest virtual time not yet simulated and the run's end.
/// </summary>
public sealed class LiveRequest(Func<LiveTrafficHandler, long, SimTime, object> work, bool needsLiveInput)
{
    public Func<LiveTrafficHandler, long, SimTime, object> Work { get; } = work;

    /// <summary>False for questions (listing streams) that a run without live input can answer too.</summary>
    public bool NeedsLiveInput { get; } = needsLiveInput;

    public TaskCompletionSource<object> Reply { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
