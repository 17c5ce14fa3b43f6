using System.Diagnostics.CodeAnalysis;
using TsnSim.Core.Time;

namespace TsnSim.Core.Engine;

/// <summary>Throws out of line, so the hot paths that check stay small enough to inline.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowEventInPast(SimTime at, SimTime now) =>
        throw new InvalidOperationException($"an event was scheduled at {at}, before the current time {now}; models may only schedule into the future");
}
