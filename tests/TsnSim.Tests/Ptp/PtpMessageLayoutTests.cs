using TsnSim.Core.Frames;
using TsnSim.Core.Ptp.Messages;
using TsnSim.Core.Time;
using TsnSim.Hosting.Capture;
using TsnSim.Tests.Support;

namespace TsnSim.Tests.Ptp;

/// <summary>
/// PTP messages against IEEE 1588-2019 clause 13 and 802.1AS-2020 clause 11 written out by hand,
/// octet by octet, and against Wireshark's PTP dissector reading them back from a pcapng file.
/// </summary>
public class PtpMessageLayoutTests
{
    private static readonly MacAddress Source = MacAddress.Parse("02:00:00:00:00:01");
    private static readonly PortIdentity Port1 = new(PortIdentity.ClockIdentityOf(Source), 1);
    private static readonly PortIdentity Requester = new(0x0200_00FF_FE00_0002UL, 1);

    private static PtpHeader Header(PtpMessageType type, ushort length, ushort sequence, sbyte interval, ushort flags = 0, long correction = 0, byte majorSdoId = PtpHeader.GptpMajorSdoId) =>
        new(type, length, Port1, sequence) { Flags = flags, CorrectionField = correction, LogMessageInterval = interval, MajorSdoId = majorSdoId };

    // The common header, field by field (1588 Table 35): majorSdoId|messageType, minorVersionPTP|versionPTP,
    // messageLength, domainNumber, minorSdoId, flagField, correctionField, messageTypeSpecific,
    // sourcePortIdentity (clockIdentity 02:00:00:ff:fe:00:00:01 from the MAC, port 1), sequenceId, controlField, logMessageInterval.
    private static string HeaderHex(string typeNibble, string length, string flags, string correction, string sequence, string control, string interval, char majorSdoId = '1') =>
        $"{majorSdoId}{typeNibble} 12 {length} 00 00 {flags} {correction} 00000000 020000fffe000001 0001 {sequence} {control} {interval}";

    public static IEnumerable<object[]> Messages()
    {
        var buffer = new byte[128];
        int n = new SyncMessage(Header(PtpMessageType.Sync, SyncMessage.Length, 42, -3, PtpHeader.TwoStepFlag), default).Write(buffer);
        yield return ["Sync", buffer[..n], HeaderHex("0", "002c", "0200", "0000000000000000", "002a", "00", "fd") + " 00000000000000000000"];

        buffer = new byte[128];
        // preciseOriginTimestamp 5.000000123 s; correction 1.5 ns (0x18000 = 1.5 × 2^16); rate ratio 1 + 2^-30.
        n = new FollowUpMessage(Header(PtpMessageType.FollowUp, FollowUpMessage.Length, 42, -3, correction: 0x18000),
            new PtpTimestamp(5, 123), new FollowUpInformationTlv(FollowUpInformationTlv.ScaledRateOffsetOf(1 + Math.Pow(2, -30)), 0, 0, 0)).Write(buffer);
        yield return ["Follow_Up", buffer[..n], HeaderHex("8", "004c", "0000", "0000000000018000", "002a", "02", "fd")
            + " 000000000005 0000007b"
            // TLV: type 3, length 28, OUI 00-80-C2, subtype 00-00-01, cumulativeScaledRateOffset 2^11, gmTimeBaseIndicator, lastGmPhaseChange (12), scaledLastGmFreqChange.
            + " 0003 001c 0080c2 000001 00000800 0000 000000000000000000000000 00000000"];

        buffer = new byte[128];
        n = new PdelayReqMessage(Header(PtpMessageType.PdelayReq, PdelayReqMessage.Length, 7, 0)).Write(buffer);
        yield return ["Pdelay_Req", buffer[..n], HeaderHex("2", "0036", "0000", "0000000000000000", "0007", "05", "00") + " 00000000000000000000 00000000000000000000"];

        buffer = new byte[128];
        n = new PdelayRespMessage(Header(PtpMessageType.PdelayResp, PdelayRespMessage.Length, 7, 0x7F, PtpHeader.TwoStepFlag), new PtpTimestamp(1, 999_999_992), Requester).Write(buffer);
        yield return ["Pdelay_Resp", buffer[..n], HeaderHex("3", "0036", "0200", "0000000000000000", "0007", "05", "7f") + " 000000000001 3b9ac9f8 02000000fffe0000 0002 0001".Replace("02000000fffe0000 0002", "020000fffe000002")];

        buffer = new byte[128];
        n = new PdelayRespMessage(Header(PtpMessageType.PdelayRespFollowUp, PdelayRespMessage.Length, 7, 0x7F), new PtpTimestamp(2, 8), Requester).Write(buffer);
        yield return ["Pdelay_Resp_Follow_Up", buffer[..n], HeaderHex("a", "0036", "0000", "0000000000000000", "0007", "05", "7f") + " 000000000002 00000008 020000fffe000002 0001"];

        buffer = new byte[128];
        n = new AnnounceMessage(Header(PtpMessageType.Announce, AnnounceMessage.LengthFor(1), 3, 0, PtpHeader.PtpTimescaleFlag), 246, ClockQuality.Default, 248,
            Port1.ClockIdentity, 0, AnnounceMessage.InternalOscillator, [Port1.ClockIdentity]).Write(buffer);
        // originTimestamp (10, zero), currentUtcOffset (2), reserved, priority1 246, clockClass 248, clockAccuracy FE, variance 436A,
        // priority2 248, grandmasterIdentity, stepsRemoved 0, timeSource A0; path trace TLV: type 8, length 8, one identity.
        yield return ["Announce", buffer[..n], HeaderHex("b", "004c", "0008", "0000000000000000", "0003", "05", "00")
            + " 00000000000000000000 0000 00 f6 f8 fe 436a f8 020000fffe000001 0000 a0 0008 0008 020000fffe000001"];
    }

    /// <summary>The 1588 default profile's end-to-end messages: majorSdoId 0, and a Follow_Up without 802.1AS's TLV.</summary>
    public static IEnumerable<object[]> EndToEndMessages()
    {
        var buffer = new byte[128];
        int n = new DelayReqMessage(Header(PtpMessageType.DelayReq, DelayReqMessage.Length, 9, 0x7F, majorSdoId: 0)).Write(buffer);
        // 13.6: originTimestamp only; controlField 1 (Delay_Req), logMessageInterval 0x7F.
        yield return ["Delay_Req", buffer[..n], HeaderHex("1", "002c", "0000", "0000000000000000", "0009", "01", "7f", '0') + " 00000000000000000000"];

        buffer = new byte[128];
        // 13.8: receiveTimestamp 7.000000250 s, requestingPortIdentity; correction −0.5 ns (t4's sub-ns part taken off), controlField 3.
        n = new DelayRespMessage(Header(PtpMessageType.DelayResp, DelayRespMessage.Length, 9, 0, correction: -0x8000, majorSdoId: 0), new PtpTimestamp(7, 250), Requester).Write(buffer);
        yield return ["Delay_Resp", buffer[..n], HeaderHex("9", "0036", "0000", "ffffffffffff8000", "0009", "03", "00", '0') + " 000000000007 000000fa 020000fffe000002 0001"];

        buffer = new byte[128];
        n = new SyncMessage(Header(PtpMessageType.FollowUp, SyncMessage.Length, 42, 0, correction: 0x18000, majorSdoId: 0), new PtpTimestamp(5, 123)).Write(buffer);
        yield return ["Follow_Up (1588)", buffer[..n], HeaderHex("8", "002c", "0000", "0000000000018000", "002a", "02", "00", '0') + " 000000000005 0000007b"];
    }

    [Theory]
    [MemberData(nameof(EndToEndMessages))]
    public void EndToEndBytesFollowTheStandardsLayout(string name, byte[] actual, string expectedHex) => BytesFollowTheStandardsLayout(name, actual, expectedHex);

    [Theory]
    [MemberData(nameof(Messages))]
    public void BytesFollowTheStandardsLayout(string name, byte[] actual, string expectedHex)
    {
        var expected = Convert.FromHexString(expectedHex.Replace(" ", "", StringComparison.Ordinal));
        Assert.True(expected.AsSpan().SequenceEqual(actual), $"{name}: expected {Convert.ToHexStringLower(expected)}, wrote {Convert.ToHexStringLower(actual)}");
        Assert.True(PtpHeader.TryRead(actual, out var header));
        Assert.Equal(actual.Length, header.MessageLength);
    }

    [Fact]
    public void TimestampsSplitAReadingIntoSecondsNanosecondsAndTheRest()
    {
        var stamp = PtpTimestamp.FromPicoseconds(new SimTime(3_000_000_123_456L), out long rest);
        Assert.Equal((3UL, 123u, 456L), (stamp.Seconds, stamp.Nanoseconds, rest));
        Assert.Equal(3_000_000_123L, stamp.TotalNanoseconds);
    }

    [TsharkFact]
    public void WiresharkDecodesEveryMessageWithTheValuesWritten()
    {
        var messages = Messages().ToList();
        var path = WritePcap(messages, PtpFrame.GptpDestination);
        var rows = Tshark.Fields(path, "ptp", ["ptp.v2.messagetype", "ptp.v2.majorsdoid", "ptp.v2.messagelength", "ptp.v2.sequenceid", "ptp.v2.flags.twostep", "ptp.v2.correction.ns", "ptp.v2.fu.preciseorigintimestamp.seconds",
            "ptp.v2.fu.preciseorigintimestamp.nanoseconds", "ptp.as.fu.cumulativeScaledRateOffset", "ptp.v2.pdrs.requestreceipttimestamp.nanoseconds", "ptp.v2.pdfu.responseorigintimestamp.seconds", "ptp.v2.an.priority1", "ptp.v2.an.grandmasterclockclass", "ptp.v2.an.pathsequence", "eth.dst"]);
        Assert.Equal(messages.Count, rows.Count);
        Assert.Equal(["0x00", "0x08", "0x02", "0x03", "0x0a", "0x0b"], rows.Select(r => r[0]));
        Assert.All(rows, r => Assert.Equal("01:80:c2:00:00:0e", r[14]));
        Assert.All(rows, r => Assert.Equal("0x01", r[1]));
        Assert.Equal(["44", "76", "54", "54", "54", "76"], rows.Select(r => r[2]));
        Assert.Equal("42", rows[0][3]);
        Assert.Equal("1", rows[0][4]);
        Assert.Equal("1", rows[1][5]);
        Assert.Equal(("5", "123", "2048"), (rows[1][6], rows[1][7], rows[1][8]));
        Assert.Equal("999999992", rows[3][9]);
        Assert.Equal("2", rows[4][10]);
        Assert.Equal(("246", "248"), (rows[5][11], rows[5][12]));
        Assert.Equal("0x020000fffe000001", rows[5][13]);
        Tshark.AssertCaptureClean(path);
    }

    [TsharkFact]
    public void WiresharkDecodesTheEndToEndMessages()
    {
        var messages = EndToEndMessages().ToList();
        var path = WritePcap(messages, PtpFrame.E2eDestination);
        var rows = Tshark.Fields(path, "ptp", ["ptp.v2.messagetype", "ptp.v2.majorsdoid", "ptp.v2.messagelength", "ptp.v2.sequenceid", "ptp.v2.correction.ns", "ptp.v2.dr.receivetimestamp.seconds",
            "ptp.v2.dr.receivetimestamp.nanoseconds", "ptp.v2.dr.requestingsourceportidentity", "ptp.v2.fu.preciseorigintimestamp.nanoseconds", "eth.dst"]);
        Assert.Equal(["0x01", "0x09", "0x08"], rows.Select(r => r[0]));
        Assert.All(rows, r => Assert.Equal("01:1b:19:00:00:00", r[9]));
        Assert.All(rows, r => Assert.Equal("0x00", r[1]));
        Assert.Equal(["44", "54", "44"], rows.Select(r => r[2]));
        Assert.Equal(("7", "250", "0x020000fffe000002"), (rows[1][5], rows[1][6], rows[1][7]));
        Assert.Equal("123", rows[2][8]);
        Tshark.AssertCaptureClean(path);
    }

    /// <summary>Each message in an Ethernet frame to <paramref name="destination"/>, one microsecond apart, in a new pcapng file.</summary>
    private static string WritePcap(IEnumerable<object[]> messages, MacAddress destination)
    {
        var path = Path.Combine(Path.GetTempPath(), $"tsnsim-test-{Guid.NewGuid():N}.pcapng");
        using var writer = new PcapngWriter(File.Create(path), "test", "PTP layouts");
        long ns = 1_000;
        foreach (var message in messages)
        {
            var payload = (byte[])message[1];
            var frame = new byte[Math.Max(60, PtpFrame.PayloadOffset + payload.Length)];
            PtpFrame.WriteHeader(frame, Source, destination);
            payload.CopyTo(frame, PtpFrame.PayloadOffset);
            writer.Write(frame, ns += 1_000, outbound: true);
        }
        return path;
    }
}
