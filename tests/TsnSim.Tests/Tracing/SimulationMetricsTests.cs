using System.Diagnostics;
using System.Globalization;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using TsnSim.Core.Simulation;
using TsnSim.Core.Tracing;
using TsnSim.Hosting;
using TsnSim.Hosting.Tracing;
using TsnSim.Tests.Topology;

namespace TsnSim.Tests.Tracing;

/// <summary>
/// The latency metric holds every delivered frame in microsecond buckets: its count, sum,
/// minimum and maximum are the report's, and for a stream traced in full its bucket counts are
/// what the spans' per-frame latencies put in each bucket.
/// </summary>
[Collection(TracingTests.Collection)]
public class SimulationMetricsTests
{
    [Fact]
    public void LatencyHistogramHoldsEveryDeliveredFrameInItsMicrosecondBucket()
    {
        var topology = TopologyFile.Load(RepositoryFiles.Topology("line.yaml"), TextWriter.Null);
        var metrics = new List<MetricSnapshot>();
        var spans = new List<Activity>();
        RunReportFigures figures;
        using (var simulationMetrics = new SimulationMetrics(topology))
        {
            using var meters = Sdk.CreateMeterProviderBuilder().AddMeter(SimulationMetrics.MeterName).AddInMemoryExporter(metrics).Build();
            using var traces = Sdk.CreateTracerProviderBuilder().AddSource(FrameActivityTracer.SourceName).AddInMemoryExporter(spans).Build();
            var settings = TopologyFile.SettingsFor(topology, null, null) with
            {
                Tracer = new FrameActivityTracer(topology, FrameTraceSelection.For(topology, ["control"]), DateTime.UnixEpoch, simulationMetrics),
                Deliveries = simulationMetrics,
            };
            var report = SingleProcessRun.Execute(topology, settings, simulationMetrics.Observe);
            figures = new RunReportFigures(report.Streams.ToDictionary(s => s.Name, s => (s.Received, s.Latency!.Min, s.Latency.Mean, s.Latency.Max)));
            meters.ForceFlush();
        }
        var latency = metrics.Last(m => m.Name == "tsnsim.stream.latency");
        Assert.Equal("us", latency.Unit);
        foreach (var point in latency.MetricPoints)
        {
            string stream = Tag(point, "stream");
            Assert.Equal("h2", Tag(point, "listener"));
            var (received, min, mean, max) = figures.Streams[stream];
            Assert.Equal(received, point.GetHistogramCount());
            Assert.Equal(mean * received / 1000, point.GetHistogramSum(), 3);
            Assert.True(point.TryGetHistogramMinMaxValues(out var low, out var high));
            Assert.Equal(min / 1000.0, low, 6);
            Assert.Equal(max / 1000.0, high, 6);
            if (stream != "control") continue;
            // Every control frame is traced: count its latencies into the same bounds by hand.
            var latencies = spans.Where(s => s.GetTagItem(TraceAttributes.LatencyNs) is not null)
                .Select(s => Convert.ToInt64(s.GetTagItem(TraceAttributes.LatencyNs), CultureInfo.InvariantCulture) / 1000.0).ToList();
            Assert.Equal(received, latencies.Count);
            var bounds = SimulationMetrics.LatencyBucketsMicroseconds;
            var buckets = new List<long>();
            foreach (var bucket in point.GetHistogramBuckets()) buckets.Add(bucket.BucketCount);
            for (int i = 0; i <= bounds.Count; i++)
            {
                double lower = i == 0 ? double.NegativeInfinity : bounds[i - 1], upper = i == bounds.Count ? double.PositiveInfinity : bounds[i];
                Assert.Equal(latencies.Count(l => l > lower && l <= upper), buckets[i]);
            }
        }
        Assert.Equal(2, latency.MetricPoints.Count);
        // Queue depths: one point per port of the topology.
        var depth = metrics.Last(m => m.Name == "tsnsim.port.max_queue_depth");
        Assert.Equal(topology.Nodes.Sum(n => n.Ports.Count), depth.MetricPoints.Count);
    }

    private sealed record RunReportFigures(Dictionary<string, (long Received, double MinNs, double MeanNs, double MaxNs)> Streams);

    private static string Tag(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
            if (tag.Key == key) return (string)tag.Value!;
        throw new KeyNotFoundException(key);
    }
}
