using System.Globalization;
using System.Text.Json;

namespace TsnSim.Tests.Support;

/// <summary>Checks that a Markdown report says what the JSON report of the same run says, number for number.</summary>
public static class MarkdownReportAssert
{
    private static readonly (string Column, string Json)[] StreamColumns =
        [("sent", "sent"), ("received", "received"), ("lost", "lost"), ("pcp", "pcp"), ("jitter", "jitter_ns"), ("deadline misses", "deadline_misses")];
    private static readonly string[] LatencyColumns = ["min", "mean", "p50", "p99", "max"];

    public static void AgreesWithJson(string markdown, JsonElement json)
    {
        var tables = MarkdownTables.Read(markdown);
        var run = tables.Single(t => t.Key.StartsWith("TsnSim run report")).Value.ToDictionary(r => r["run"], r => r["value"]);
        Assert.Equal(json.GetProperty("topology").GetString(), run["topology"]);
        Assert.Equal(json.GetProperty("frames_digest").GetString(), run["frames_digest"].Trim('`'));
        foreach (var field in new[] { "seed", "duration_ns", "hops", "events", "wall_seconds" })
            Assert.Equal(json.GetProperty(field).GetDouble(), Number(run[field]));

        var jsonStreams = json.GetProperty("streams").EnumerateArray().ToList();
        var streams = jsonStreams.Count == 0 ? [] : tables["Streams"];
        if (jsonStreams.Count == 0) Assert.Contains("(no streams)", markdown);
        Assert.Equal(jsonStreams.Count, streams.Count);
        foreach (var (row, stream) in streams.Zip(jsonStreams))
        {
            Assert.Equal(stream.GetProperty("name").GetString(), row["stream"]);
            foreach (var (column, field) in StreamColumns) Assert.Equal(Number(stream.GetProperty(field)), Number(row[column]));
            var latency = stream.GetProperty("latency_ns");
            foreach (var p in LatencyColumns)
                Assert.Equal(latency.ValueKind == JsonValueKind.Null ? null : latency.GetProperty(p).GetDouble(), Number(row[p]));
            Assert.Equal(latency.ValueKind == JsonValueKind.Null ? null : latency.GetProperty("p999").GetDouble(), Number(row["p99.9"]));
        }

        var ports = tables["Ports"];
        var jsonPorts = json.GetProperty("ports").EnumerateArray().ToList();
        Assert.Equal(jsonPorts.Count, ports.Count);
        foreach (var (row, port) in ports.Zip(jsonPorts))
        {
            Assert.Equal(port.GetProperty("node").GetString(), row["node"]);
            Assert.Equal(port.GetProperty("port").GetString(), row["port"]);
            foreach (var field in new[] { "tx_frames", "tx_bytes", "rx_frames", "rx_bytes", "queue_drops", "ingress_drops", "max_queue_depth" })
                Assert.Equal(port.GetProperty(field).GetDouble(), Number(row[field.Replace('_', ' ')]));
        }
        PtpAgrees(tables, json);
    }

    private static void PtpAgrees(Dictionary<string, List<Dictionary<string, string>>> tables, JsonElement json)
    {
        if (!json.TryGetProperty("ptp", out var ptp))
        {
            Assert.False(tables.ContainsKey("PTP"));
            return;
        }
        var rows = tables["PTP"];
        var nodes = ptp.EnumerateArray().ToList();
        Assert.Equal(nodes.Count, rows.Count);
        foreach (var (row, node) in rows.Zip(nodes))
        {
            Assert.Equal(node.GetProperty("node").GetString(), row["node"]);
            Assert.Equal(node.GetProperty("role").GetString(), row["role"]);
            foreach (var field in new[] { "max_abs_offset_ns", "rms_offset_ns", "converged_at_ns" })
                Assert.Equal(Number(node.GetProperty(field)), Number(row[field.Replace("_ns", "").Replace('_', ' ')]));
            Assert.Equal(node.GetProperty("samples").GetDouble(), Number(row["samples"]));
        }
    }

    /// <summary>A cell's number; null for "-", which the report writes where JSON has null.</summary>
    private static double? Number(string cell) => cell == "-" ? null : double.Parse(cell, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static double? Number(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetDouble();
}
