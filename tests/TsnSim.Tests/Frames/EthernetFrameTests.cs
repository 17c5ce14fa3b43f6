using TsnSim.Core.Frames;

namespace TsnSim.Tests.Frames;

/// <summary>Ethernet II and 802.1Q layouts as IEEE 802.3 / 802.1Q lay them out, byte for byte.</summary>
public class EthernetFrameTests
{
    private static readonly MacAddress Destination = MacAddress.Parse("01:1b:19:00:00:00");
    private static readonly MacAddress Source = MacAddress.Parse("02:00:00:00:00:07");

    [Fact]
    public void TaggedHeaderHasTpid8100ThenTciThenEtherType()
    {
        var header = new EthernetHeader(Destination, Source, new VlanTag(Pcp: 6, Dei: false, Vid: 10), EtherTypes.Ipv4);
        var bytes = new byte[60];
        int length = header.Build(bytes, [0xAA, 0xBB]);
        byte[] expectedFront =
        [
            0x01, 0x1b, 0x19, 0x00, 0x00, 0x00, // destination
            0x02, 0x00, 0x00, 0x00, 0x00, 0x07, // source
            0x81, 0x00,                         // TPID
            0xC0, 0x0A,                         // PCP 6 (110), DEI 0, VID 10
            0x08, 0x00,                         // EtherType IPv4
            0xAA, 0xBB,
        ];
        Assert.Equal(expectedFront, bytes[..20]);
        // Padded to the 60-byte minimum (64 with FCS) with zeros.
        Assert.Equal(60, length);
        Assert.All(bytes[20..60], b => Assert.Equal(0, b));
    }

    [Fact]
    public void DeiIsBit12OfTheTci()
    {
        Assert.Equal(0x1FFF, new VlanTag(0, true, 0xFFF).Tci);
        Assert.Equal(new VlanTag(7, true, 4094), VlanTag.FromTci(0xFFFE));
    }

    [Fact]
    public void UntaggedHeaderIsFourteenBytes()
    {
        var bytes = new byte[64];
        int length = new EthernetHeader(Destination, Source, null, EtherTypes.Ptp).Build(bytes, new byte[50]);
        Assert.Equal(64, length);
        Assert.Equal([0x88, 0xF7], bytes[12..14]);
    }

    [Fact]
    public void ParsesWhatItBuilds()
    {
        var header = new EthernetHeader(Destination, Source, new VlanTag(3, true, 100), EtherTypes.LocalExperimental1);
        var bytes = new byte[64];
        header.Build(bytes, []);
        Assert.True(EthernetHeader.TryParse(bytes, out var parsed));
        Assert.Equal(header, parsed);
        Assert.Equal(18, parsed.Length);
    }

    [Fact]
    public void RefusesATruncatedHeader()
    {
        Assert.False(EthernetHeader.TryParse(new byte[13], out _));
        var tagged = new byte[16];
        tagged[12] = 0x81;
        Assert.False(EthernetHeader.TryParse(tagged, out _));
    }

    [Theory]
    [InlineData("02:00:5e:10:00:01", 0x02005e100001UL, false)]
    [InlineData("01-80-C2-00-00-0E", 0x0180c200000eUL, true)]
    [InlineData("ff:ff:ff:ff:ff:ff", 0xffffffffffffUL, true)]
    public void ParsesMacAddressesAndTheirGroupBit(string text, ulong value, bool group)
    {
        var mac = MacAddress.Parse(text);
        Assert.Equal(value, mac.Value);
        Assert.Equal(group, mac.IsGroup);
        Assert.Equal(text.Replace('-', ':').ToLowerInvariant(), mac.ToString());
    }
}
