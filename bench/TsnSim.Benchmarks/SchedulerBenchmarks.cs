using BenchmarkDotNet.Attributes;
using TsnSim.Core.Engine;
using TsnSim.Core.Time;

namespace TsnSim.Benchmarks;

/// <summary>Cost of one schedule + one dispatch with a heap holding as many events as a busy partition does.</summary>
[MemoryDiagnoser]
public class SchedulerBenchmarks
{
    private sealed class Rescheduler(Scheduler scheduler) : IEventHandler
    {
        private long _sequence;

        public void OnEvent(in ScheduledEvent e)
        {
            // Keep the heap at its size: every event schedules one successor a pseudo-random step ahead.
            long step = 1 + (e.Sequence * 2654435761L & 1023);
            scheduler.Schedule(new ScheduledEvent(e.At + new SimTime(step), EventClass.FrameArrival, e.SourceIndex, _sequence++, this, null, 0));
        }
    }

    private Scheduler _scheduler = null!;

    [Params(16, 1024)]
    public int Pending;

    [GlobalSetup]
    public void Setup()
    {
        _scheduler = new Scheduler();
        var handler = new Rescheduler(_scheduler);
        for (int i = 0; i < Pending; i++)
            _scheduler.Schedule(new ScheduledEvent(new SimTime(i), EventClass.FrameArrival, i, i, handler, null, 0));
    }

    [Benchmark(OperationsPerInvoke = 100_000, Description = "schedule + dispatch one event")]
    public void ScheduleAndDispatch()
    {
        // Run until 100,000 more events have gone through.
        long target = _scheduler.ExecutedEvents + 100_000;
        while (_scheduler.ExecutedEvents < target) _scheduler.RunUntil(_scheduler.NextTime);
    }
}
