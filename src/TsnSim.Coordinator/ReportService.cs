using Grpc.Core;
using TsnSim.Protos.Report;

namespace TsnSim.Coordinator;

/// <summary>The report of the run this coordinator referees, on request or as a stream of snapshots.</summary>
public sealed class ReportService(RunCoordinator coordinator) : Report.ReportBase
{
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ShortestInterval = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestInterval = TimeSpan.FromHours(1);

    public override Task<ReportSnapshot> GetReport(GetReportRequest request, ServerCallContext context) => Task.FromResult(Snapshot());

    public override async Task WatchReport(WatchReportRequest request, IServerStreamWriter<ReportSnapshot> responseStream, ServerCallContext context)
    {
        var interval = IntervalOf(request);
        var cancel = context.CancellationToken;
        var ended = coordinator.Outcome;
        while (true)
        {
            var snapshot = Snapshot();
            await responseStream.WriteAsync(snapshot, cancel);
            if (snapshot.Ended) return;
            // The end of the run does not wait for the interval: the final snapshot goes at once.
            await Task.WhenAny(Task.Delay(interval, cancel), ended);
            cancel.ThrowIfCancellationRequested();
        }
    }

    /// <summary>The requested interval, or INVALID_ARGUMENT naming the field and the range.</summary>
    public static TimeSpan IntervalOf(WatchReportRequest request)
    {
        if (request.Interval is null) return DefaultInterval;
        var d = request.Interval;
        bool wellFormed = d.Nanos is > -1_000_000_000 and < 1_000_000_000 && (d.Seconds == 0 || d.Nanos == 0 || (d.Seconds > 0) == (d.Nanos > 0));
        var interval = wellFormed ? d.ToTimeSpan() : TimeSpan.Zero;
        if (!wellFormed || interval < ShortestInterval || interval > LongestInterval)
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"interval: {d.Seconds} s {d.Nanos} ns is out of range; expected from 10 ms to 1 h (leave it unset for 1 s)"));
        return interval;
    }

    private ReportSnapshot Snapshot()
    {
        var (report, reached, ended) = coordinator.Snapshot();
        return ReportSnapshots.From(report, coordinator.Settings.Duration.Picoseconds, reached, ended);
    }
}
