using System.Globalization;
using TsnSim.Core.Time;
using TsnSim.Hosting;
using TsnSim.Tests.Support;
using TsnSim.Tests.Topology;

namespace TsnSim.Tests.Ptp;

/// <summary>
/// A gPTP run's pcap files judged by Wireshark: every message decodes with no malformed packet
/// or error, and Wireshark's own PTP analysis, computed from the captured messages alone, agrees
/// with the model: the rate ratio it derives from successive Follow_Ups (preciseOriginTimestamp
/// plus correction against the capture clock, i.e. true time) is the grandmaster's rate at every
/// hop, which holds only if each bridge's correction adds its residence and link delay right;
/// and the peer delay it derives from each requester's exchanges is the link's delay.
/// </summary>
public class GptpPcapTests
{
    [TsharkFact]
    public void WiresharkDecodesEveryMessageAndItsAnalysisAgreesWithTheModel()
    {
        var topology = TopologyFile.Load(RepositoryFiles.Topology("gptp-7hop.yaml"), TextWriter.Null) with { Duration = SimTime.FromSeconds(10) };
        var network = GptpNetwork.RunCaptured(topology, out var directory);

        Tshark.AssertEveryCaptureClean(directory);
        foreach (var file in Directory.GetFiles(directory, "*.pcapng"))
        {
            var types = Tshark.Fields(file, "ptp", ["ptp.v2.messagetype"]).Select(r => r[0]).ToHashSet();
            Assert.Superset(new HashSet<string> { "0x00", "0x08", "0x02", "0x03", "0x0a" }, types);
        }

        // The grandmaster's mean rate from 5 s on (every node follows it by then: announces reach the end
        // station after about 4 s), from its own clock: what every hop's Follow_Ups must convey.
        var gm = network.Node("gm").Context.Telemetry.ClockSamples.Where(s => s.AtPs >= SimTime.FromSeconds(5).Picoseconds).ToList();
        double gmRate = (double)(gm[^1].ReadingPs - gm[0].ReadingPs) / (gm[^1].AtPs - gm[0].AtPs);
        foreach (var port in new[] { "gm-eth0", "b1-eth1", "b2-eth1", "b3-eth1", "b4-eth1", "b5-eth1", "b6-eth1" })
        {
            var ratios = Analysis(Path.Combine(directory, port + ".pcapng"), "ptp.v2.messagetype == 0x08 && frame.time_epoch >= 5", "ptp.v2.analysis.sync.calculatedRateRatio")
                .Select(r => double.Parse(r[0], CultureInfo.InvariantCulture)).Order().ToList();
            Assert.True(ratios.Count >= 20, $"{port}: {ratios.Count} rate ratios");
            // 8 ns timestamps over 125 ms make each ratio uncertain by ~64 ppb; the median is far closer.
            Assert.InRange(ratios[ratios.Count / 2], gmRate - 1e-7, gmRate + 1e-7);
        }

        // Peer delays Wireshark computes for each node's own requests (requester's capture times, responder's timestamps).
        foreach (var link in topology.Links)
        {
            var requester = network.Node(link.B.Node);
            var identity = $"0x{Core.Ptp.Messages.PortIdentity.ClockIdentityOf(requester.Config.Mac):x16}";
            var delays = Analysis(Path.Combine(directory, $"{link.B.Node}-{link.B.Port}.pcapng"), "ptp.v2.messagetype == 0x0a",
                    "ptp.v2.pdfu.requestingportidentity", "ptp.v2.analysis.pdelay.meanpropdelay_unscaled_nanoseconds")
                .Where(r => r[0].StartsWith(identity, StringComparison.Ordinal) && r[1].Length > 0).Select(r => long.Parse(r[1], CultureInfo.InvariantCulture)).ToList();
            Assert.NotEmpty(delays);
            Assert.All(delays, d => Assert.InRange(d, link.Delay.Picoseconds / 1000 - 8, link.Delay.Picoseconds / 1000 + 8));
        }
    }

    private static List<string[]> Analysis(string file, string filter, params string[] fields) =>
        Tshark.Fields(file, filter, fields, "-o", "ptp.analyze_ptp_messages:TRUE").Where(r => r.All(f => f.Length > 0)).ToList();
}
