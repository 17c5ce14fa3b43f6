using TsnSim.Core.Time;

namespace TsnSim.Core.Traffic;

/// <summary>
/// A stream that exists because a client asked for it while the run went on: a periodic stream
/// it started, or the frames one application injected. Its index lies above every topology
/// stream's (see <see cref="LiveStreamIndex"/>), so frames carry it like any other stream index.
/// </summary>
public sealed record LiveStream(int Index, string Name, string Talker, string? Listener, byte Pcp, SimTime? Period, int? FrameSize)
{
    /// <summary>"injected" (a started stream) or "application" (frames injected one by one).</summary>
    public string Origin => Period is null ? "application" : "injected";
}
