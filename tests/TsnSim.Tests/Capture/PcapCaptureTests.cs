using System.Globalization;
using TsnSim.Tests.Support;
using TsnSim.Tests.Topology;

namespace TsnSim.Tests.Capture;

/// <summary>
/// <c>--pcap</c> files read by tshark: every frame of the frame log is in the sending port's file
/// at its transmission start and in the receiving port's file one propagation delay later, with
/// its direction, its bytes undamaged, and no malformed packet.
/// </summary>
public class PcapCaptureTests
{
    [TsharkFact]
    public void EveryPortsFileHoldsWhatATapOnItsWireSees()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"tsnsim-test-{Guid.NewGuid():N}");
        var log = CliProcess.TempFile("", ".csv");
        var run = CliProcess.Run("run", RepositoryFiles.Topology("line.yaml"), "--pcap", directory, "--frame-log", log);
        Assert.True(run.ExitCode == 0, run.Stderr);
        var hops = File.ReadLines(log).Skip(1).Select(l => l.Split(',')).ToList();
        // line.yaml: every link 1 µs.
        const long delayNs = 1_000;
        foreach (var port in new[] { "h1:eth0", "sw2:eth0", "sw2:eth1", "h2:eth0" })
        {
            var file = Path.Combine(directory, port.Replace(':', '-') + ".pcapng");
            var (code, stdout, stderr) = Tshark.Run("-r", file, "-T", "fields", "-E", "separator=,", "-e", "frame.time_epoch", "-e", "frame.len", "-e", "frame.p2p_dir", "-e", "frame.interface_name");
            Assert.True(code == 0, stderr);
            var packets = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(',')).ToList();
            var expected = hops.Where(h => h[3] == port).Select(h => (Ns: long.Parse(h[5], CultureInfo.InvariantCulture) / 1000, Out: true))
                .Concat(hops.Where(h => h[4] == port).Select(h => (Ns: long.Parse(h[5], CultureInfo.InvariantCulture) / 1000 + delayNs, Out: false)))
                .OrderBy(p => p.Ns).ThenBy(p => p.Out).ToList();
            var seen = packets.Select(p => (Ns: EpochNs(p[0]), Out: p[2] == "0")).OrderBy(p => p.Ns).ThenBy(p => p.Out).ToList();
            Assert.Equal(expected, seen);
            Assert.All(packets, p => Assert.Equal(port, p[3]));
            var malformed = Tshark.Run("-r", file, "-Y", "_ws.malformed || _ws.expert.severity >= error");
            Assert.Equal("", malformed.Stdout.Trim());
        }
    }

    /// <summary>tshark's epoch time "1.000002304" as whole nanoseconds.</summary>
    private static long EpochNs(string text)
    {
        var parts = text.Split('.');
        return long.Parse(parts[0], CultureInfo.InvariantCulture) * 1_000_000_000 + long.Parse(parts[1].PadRight(9, '0')[..9], CultureInfo.InvariantCulture);
    }
}
