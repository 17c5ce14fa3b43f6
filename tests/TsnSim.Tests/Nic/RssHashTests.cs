using FsCheck;
using FsCheck.Fluent;
using TsnSim.Core.Nic;
using TsnSim.Hosting;
using TsnSim.Hosting.Nic;
using TsnSim.Tests.Support;

namespace TsnSim.Tests.Nic;

/// <summary>
/// RSS's Toeplitz hash against Microsoft's published verification suite ("Verifying the RSS
/// Hash Calculation", the same table as Intel's 82599 datasheet §7.1.2.8.3): five IPv4 and
/// three IPv6 flows, each hashed on addresses alone and with TCP ports, under the suite's key.
/// </summary>
public class RssHashTests
{
    /// <summary>Destination, source, the IP-only hash, the hash with TCP: as the suite's tables list them.</summary>
    public static IEnumerable<object[]> Suite() => new (string Destination, string Source, uint Ip, uint Tcp)[]
    {
        ("161.142.100.80:1766", "66.9.149.187:2794", 0x323e8fc2, 0x51ccc178),
        ("65.69.140.83:4739", "199.92.111.2:14230", 0xd718262a, 0xc626b0ea),
        ("12.22.207.184:38024", "24.19.198.95:12898", 0xd2d0a5de, 0x5c2b394a),
        ("209.142.163.6:2217", "38.27.205.30:48228", 0x82989176, 0xafc7327f),
        ("202.188.127.2:1303", "153.39.163.191:44251", 0x5d1809c5, 0x10e828a2),
        ("[3ffe:2501:200:3::1]:1766", "[3ffe:2501:200:1fff::7]:2794", 0x2cc18cd5, 0x40207d3d),
        ("[ff02::1]:4739", "[3ffe:501:8::260:97ff:fe40:efab]:14230", 0x0f0c461c, 0xdde51bbf),
        ("[fe80::200:f8ff:fe21:67cf]:38024", "[3ffe:1900:4545:3:200:f8ff:fe21:67cf]:44251", 0x4b61e985, 0x02d1feef),
    }.Select(v => new object[] { v.Destination, v.Source, v.Ip, v.Tcp });

    [Theory]
    [MemberData(nameof(Suite))]
    public void EveryFlowOfTheVerificationSuiteHashesToItsPublishedValue(string destination, string source, uint ip, uint tcp)
    {
        Assert.Equal(ip, RssQuery.Run(source, destination, "ip", null, 128, 4).Hash);
        Assert.Equal(tcp, RssQuery.Run(source, destination, "tcp", null, 128, 4).Hash);
        // The IP hash types hash the addresses only: the same flow without ports gives the same value.
        Assert.Equal(ip, RssQuery.Run(Address(source), Address(destination), "ip", null, 128, 4).Hash);
    }

    private static string Address(string endpoint) => endpoint.StartsWith('[') ? endpoint[1..endpoint.IndexOf(']')] : endpoint[..endpoint.IndexOf(':')];

    [Fact]
    public void TheQueueIsTheTableEntryAtTheHashsLowBits()
    {
        // 0x51ccc178: low 7 bits 0x78 = 120; the default table's entry 120 is queue 120 mod 4 = 0, mod 3 = 0, mod 7 = 1.
        Assert.Equal(0, RssQuery.Run("66.9.149.187:2794", "161.142.100.80:1766", "tcp", null, 128, 4).Queue);
        Assert.Equal(1, RssQuery.Run("66.9.149.187:2794", "161.142.100.80:1766", "tcp", null, 128, 7).Queue);
        // A 64-entry table reads the low 6 bits: 0x38 = 56, queue 56 mod 5 = 1.
        Assert.Equal(1, RssQuery.Run("66.9.149.187:2794", "161.142.100.80:1766", "tcp", null, 64, 5).Queue);
        Assert.Equal("hash=0x51ccc178 queue=0", RssQuery.Format(0x51ccc178, 0));
    }

    [Fact]
    public void TheTableMatchesTheBitByBitDefinitionForAnyKeyAndInput()
    {
        // NDIS's pseudocode, bit by bit: for each set input bit, XOR the key's leftmost 32 bits, shifting the key left each bit.
        static uint BitByBit(byte[] key, byte[] input)
        {
            uint result = 0;
            for (int bit = 0; bit < input.Length * 8; bit++)
            {
                if ((input[bit / 8] & (0x80 >> (bit % 8))) == 0) continue;
                uint window = 0;
                for (int k = 0; k < 32; k++)
                    window = window << 1 | (uint)((key[(bit + k) / 8] >> (7 - (bit + k) % 8)) & 1);
                result ^= window;
            }
            return result;
        }
        var cases = from key in ArbMap.Default.GeneratorFor<byte>().ArrayOf(ToeplitzHash.KeyBytes)
                    from length in Gen.Choose(0, ToeplitzHash.MaxInputBytes)
                    from input in ArbMap.Default.GeneratorFor<byte>().ArrayOf(length)
                    select (key, input);
        Prop.ForAll(cases.ToArbitrary(), c => new ToeplitzHash(c.key).Compute(c.input) == BitByBit(c.key, c.input)).QuickCheckThrowOnFailure();
    }

    public static IEnumerable<object[]> BadQueries() => new (string Option, string Src, string Dst, string Proto, string? Key, int Table, int Queues)[]
    {
        ("--proto", "1.2.3.4:1", "5.6.7.8:2", "sctp", null, 128, 4),
        ("--src", "1.2.3:1", "5.6.7.8:2", "tcp", null, 128, 4),
        // A leading zero reads as octal to some parsers (010 as 8): refused rather than guessed.
        ("--src", "010.0.0.1:1", "5.6.7.8:2", "tcp", null, 128, 4),
        ("--src", "1.2.3.4", "5.6.7.8:2", "tcp", null, 128, 4),
        ("--dst", "1.2.3.4:1", "5.6.7.8:70000", "tcp", null, 128, 4),
        ("--dst", "1.2.3.4:1", "[::1]:2", "tcp", null, 128, 4),
        ("--src", "[::1:2", "[::1]:2", "tcp", null, 128, 4),
        ("--key", "1.2.3.4:1", "5.6.7.8:2", "tcp", "6d5a", 128, 4),
        ("--key", "1.2.3.4:1", "5.6.7.8:2", "tcp", new string('g', 80), 128, 4),
        ("--table-size", "1.2.3.4:1", "5.6.7.8:2", "tcp", null, 100, 4),
        ("--queues", "1.2.3.4:1", "5.6.7.8:2", "tcp", null, 128, 17),
    }.Select(q => new object[] { q.Option, q.Src, q.Dst, q.Proto, q.Key!, q.Table, q.Queues });

    [Theory]
    [MemberData(nameof(BadQueries))]
    public void ABadQueryNamesItsOption(string option, string src, string dst, string proto, string? key, int table, int queues)
    {
        var error = Assert.Throws<UserInputException>(() => RssQuery.Run(src, dst, proto, key, table, queues));
        Assert.StartsWith(option + ":", error.Message);
    }

    [Fact]
    public void AKeyWrittenWithColonsIsTheSameKey()
    {
        var colons = string.Join(":", ToeplitzHash.VerificationKey.ToArray().Select(b => b.ToString("x2")));
        Assert.Equal(0x51ccc178u, RssQuery.Run("66.9.149.187:2794", "161.142.100.80:1766", "tcp", colons, 128, 4).Hash);
        Assert.NotEqual(0x51ccc178u, RssQuery.Run("66.9.149.187:2794", "161.142.100.80:1766", "tcp", new string('0', 78) + "01", 128, 4).Hash);
    }

    [Fact]
    public void TheCommandPrintsTheHashAndQueueAndRefusesBadInputByName()
    {
        var ok = CliProcess.Run("nic", "rss", "--src", "[3ffe:2501:200:1fff::7]:2794", "--dst", "[3ffe:2501:200:3::1]:1766", "--proto", "tcp", "--queues", "8");
        Assert.Equal(0, ok.ExitCode);
        // 0x40207d3d: low 7 bits 0x3d = 61, queue 61 mod 8 = 5.
        Assert.Equal("hash=0x40207d3d queue=5", ok.Stdout.Trim());
        var bad = CliProcess.Run("nic", "rss", "--src", "10.0.0.1", "--dst", "10.0.0.2:80", "--proto", "udp");
        Assert.Equal(ExitCodes.InvalidInput, bad.ExitCode);
        Assert.StartsWith("--src:", bad.Stderr.Trim());
        Assert.DoesNotContain("   at ", bad.Stderr);
    }
}
