using System.Globalization;
using TsnSim.Core.Time;
using TsnSim.Hosting;
using TsnSim.Tests.Support;
using TsnSim.Tests.Topology;

namespace TsnSim.Tests.Ptp;

/// <summary>
/// An end-to-end run's pcap files judged by Wireshark: every message decodes with no malformed
/// packet or error, and what a tap on each side of a transparent clock records agrees with the
/// corrections it writes: a Follow_Up leaves with its Sync's residence (the Sync's time on the
/// egress tap minus its time on the ingress tap) added, a Delay_Resp with its Delay_Req's.
/// </summary>
public class EndToEndPcapTests
{
    [TsharkFact]
    public void WiresharkDecodesEveryMessageAndTheCorrectionsAreTheResidencesATapSees()
    {
        var topology = TopologyFile.Load(RepositoryFiles.Topology("ptp-e2e.yaml"), TextWriter.Null) with { Duration = SimTime.FromSeconds(8) };
        GptpNetwork.RunCaptured(topology, out var directory);

        Tshark.AssertEveryCaptureClean(directory);
        var types = Tshark.Fields(Path.Combine(directory, "s1-eth0.pcapng"), "ptp", ["ptp.v2.messagetype"]).Select(r => r[0]).ToHashSet();
        Assert.Superset(new HashSet<string> { "0x00", "0x08", "0x01", "0x09", "0x0b" }, types);

        // tc2 has two ports: eth0 toward the grandmaster, eth1 toward the slaves. Syncs come in on eth0 and leave on eth1; Delay_Reqs the other way.
        var toward = Messages(Path.Combine(directory, "tc2-eth0.pcapng"));
        var away = Messages(Path.Combine(directory, "tc2-eth1.pcapng"));
        int checkedFollowUps = 0, checkedResponses = 0;
        foreach (var outgoing in away.Where(m => m.Type == "0x08" && m.Outbound))
        {
            var incoming = toward.Single(m => m.Type == "0x08" && !m.Outbound && m.Key == outgoing.Key);
            long residence = away.Single(m => m.Type == "0x00" && m.Outbound && m.Key == outgoing.Key).AtNs
                - toward.Single(m => m.Type == "0x00" && !m.Outbound && m.Key == incoming.Key).AtNs;
            // Both taps record to the ns; tc2 timestamps to 8 ns (two readings, floored: within one step), and its clock runs
            // within 50 ppm of true time, a fraction of a ns over these residences.
            Assert.InRange(outgoing.CorrectionNs - incoming.CorrectionNs, residence - 9, residence + 9);
            checkedFollowUps++;
        }
        foreach (var outgoing in away.Where(m => m.Type == "0x09" && m.Outbound))
        {
            // The Delay_Req this answers, with the same sequenceId, in on eth1 and out on eth0; a Delay_Resp flooded to
            // slaves that did not ask (the backup, on tc1's side, asks too) carries no residence of tc2's.
            var request = away.SingleOrDefault(m => m.Type == "0x01" && !m.Outbound && m.Key == outgoing.Requester);
            if (request is null) continue;
            var incoming = toward.Single(m => m.Type == "0x09" && !m.Outbound && m.Key == outgoing.Key);
            long residence = toward.Single(m => m.Type == "0x01" && m.Outbound && m.Key == request.Key).AtNs - request.AtNs;
            Assert.InRange(outgoing.CorrectionNs - incoming.CorrectionNs, residence - 9, residence + 9);
            checkedResponses++;
        }
        Assert.True(checkedFollowUps >= 40, $"{checkedFollowUps} Follow_Ups checked");
        Assert.True(checkedResponses >= 40, $"{checkedResponses} Delay_Resps checked");
    }

    private sealed record Message(string Type, bool Outbound, long AtNs, string Key, long CorrectionNs, string Requester);

    private static List<Message> Messages(string file) =>
        Tshark.Fields(file, "ptp", ["ptp.v2.messagetype", "frame.packet_flags_direction", "frame.time_epoch", "ptp.v2.clockidentity", "ptp.v2.sequenceid",
                "ptp.v2.correction.ns", "ptp.v2.dr.requestingsourceportidentity"])
            // A Delay_Resp is known by whom it answers: every slave counts its own sequenceIds.
            .Select(r => new Message(r[0], Convert.ToUInt32(r[1], 16) == 2, (long)(decimal.Parse(r[2], CultureInfo.InvariantCulture) * 1_000_000_000m),
                r[0] == "0x09" ? $"{r[6]}/{r[4]}" : $"{r[3]}/{r[4]}", (long)ulong.Parse(r[5], CultureInfo.InvariantCulture), $"{r[6]}/{r[4]}"))
            .ToList();
}
