using TsnSim.Core.Engine;
using TsnSim.Core.Time;

namespace TsnSim.Tests.Engine;

/// <summary>Event order is (time, class, source index, sequence), whatever order the events were scheduled in.</summary>
public class SchedulerOrderTests
{
    private sealed class Recorder : IEventHandler
    {
        public List<(long Time, EventClass Class, int Source, long Sequence)> Seen { get; } = [];

        public void OnEvent(in ScheduledEvent e) => Seen.Add((e.Time, e.Class, e.SourceIndex, e.Sequence));
    }

    [Fact]
    public void EarlierTimeRunsFirstWhateverItsClass()
    {
        var scheduler = new Scheduler();
        var recorder = new Recorder();
        scheduler.Schedule(new ScheduledEvent(new SimTime(20), EventClass.TransmitComplete, 0, 0, recorder, null, 0));
        scheduler.Schedule(new ScheduledEvent(new SimTime(10), EventClass.Talker, 9, 5, recorder, null, 0));
        scheduler.RunUntil(SimTime.MaxValue);
        Assert.Equal([10L, 20L], recorder.Seen.Select(s => s.Time));
    }

    [Fact]
    public void AtOneInstantTransmitCompletePrecedesArrivalPrecedesForwardPrecedesTimer()
    {
        var scheduler = new Scheduler();
        var recorder = new Recorder();
        foreach (var c in new[] { EventClass.Talker, EventClass.Forward, EventClass.FrameArrival, EventClass.TransmitComplete })
            scheduler.Schedule(new ScheduledEvent(new SimTime(5), c, 0, 0, recorder, null, 0));
        scheduler.RunUntil(SimTime.MaxValue);
        Assert.Equal([EventClass.TransmitComplete, EventClass.FrameArrival, EventClass.Forward, EventClass.Talker],
            recorder.Seen.Select(s => s.Class));
    }

    [Fact]
    public void TiesBreakOnSourceIndexThenSequence()
    {
        var scheduler = new Scheduler();
        var recorder = new Recorder();
        scheduler.Schedule(new ScheduledEvent(new SimTime(5), EventClass.FrameArrival, 3, 0, recorder, null, 0));
        scheduler.Schedule(new ScheduledEvent(new SimTime(5), EventClass.FrameArrival, 1, 7, recorder, null, 0));
        scheduler.Schedule(new ScheduledEvent(new SimTime(5), EventClass.FrameArrival, 1, 2, recorder, null, 0));
        scheduler.RunUntil(SimTime.MaxValue);
        Assert.Equal([(1, 2L), (1, 7L), (3, 0L)], recorder.Seen.Select(s => (s.Source, s.Sequence)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void AnyInsertionOrderGivesTheSortedOrder(int shuffleSeed)
    {
        // Expected order from a plain sort of the keys: the heap must agree with it exactly.
        var random = new Random(shuffleSeed);
        var keys = Enumerable.Range(0, 5000)
            .Select(i => (Time: (long)random.Next(50), Class: (EventClass)random.Next(4), Source: random.Next(10), Sequence: (long)i))
            .ToList();
        var scheduler = new Scheduler();
        var recorder = new Recorder();
        foreach (var k in keys.OrderBy(_ => random.Next()))
            scheduler.Schedule(new ScheduledEvent(new SimTime(k.Time), k.Class, k.Source, k.Sequence, recorder, null, 0));
        scheduler.RunUntil(SimTime.MaxValue);
        var expected = keys.OrderBy(k => k.Time).ThenBy(k => k.Class).ThenBy(k => k.Source).ThenBy(k => k.Sequence);
        Assert.Equal(expected, recorder.Seen);
    }

    [Fact]
    public void StopsAtTheLimitAndLeavesLaterEventsPending()
    {
        var scheduler = new Scheduler();
        var recorder = new Recorder();
        scheduler.Schedule(new ScheduledEvent(new SimTime(10), EventClass.Talker, 0, 0, recorder, null, 0));
        scheduler.Schedule(new ScheduledEvent(new SimTime(11), EventClass.Talker, 0, 1, recorder, null, 0));
        Assert.Equal(1, scheduler.RunUntil(new SimTime(10)));
        Assert.Equal(1, scheduler.Count);
        Assert.Equal(new SimTime(11), scheduler.NextTime);
    }

    [Fact]
    public void RefusesAnEventInThePast()
    {
        var scheduler = new Scheduler();
        var recorder = new Recorder();
        scheduler.Schedule(new ScheduledEvent(new SimTime(10), EventClass.Talker, 0, 0, recorder, null, 0));
        scheduler.RunUntil(SimTime.MaxValue);
        var error = Assert.Throws<InvalidOperationException>(() =>
            scheduler.Schedule(new ScheduledEvent(new SimTime(9), EventClass.Talker, 0, 1, recorder, null, 0)));
        Assert.Contains("before the current time", error.Message);
    }

    [Fact]
    public void SteadyStateSchedulingAllocatesNothing()
    {
        var scheduler = new Scheduler();
        var recorder = new NoOp();
        void Cycle(int n)
        {
            for (int i = 0; i < n; i++)
                scheduler.Schedule(new ScheduledEvent(scheduler.Now + new SimTime(1 + i % 7), EventClass.Talker, i % 3, i, recorder, null, 0));
            scheduler.RunUntil(SimTime.MaxValue);
        }
        Cycle(1000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Cycle(1000);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private sealed class NoOp : IEventHandler
    {
        public void OnEvent(in ScheduledEvent e)
        {
        }
    }
}
