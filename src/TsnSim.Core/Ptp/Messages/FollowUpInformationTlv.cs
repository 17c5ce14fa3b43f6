using System.Buffers.Binary;

namespace TsnSim.Core.Ptp.Messages;

/// <summary>
/// 802.1AS-2020 11.4.4.3: the Follow_Up information TLV, an organization extension (type 3,
/// length 28, OUI 00-80-C2, subtype 1) carrying cumulativeScaledRateOffset ((rateRatio − 1) × 2^41),
/// gmTimeBaseIndicator, lastGmPhaseChange (ScaledNs, 96 bits) and scaledLastGmFreqChange.
/// </summary>
public readonly record struct FollowUpInformationTlv(int CumulativeScaledRateOffset, ushort GmTimeBaseIndicator, long LastGmPhaseChangeScaledNs, int ScaledLastGmFreqChange)
{
    public const int Length = 32;
    public const ushort OrganizationExtension = 0x0003;
    public const int OrganizationId = 0x0080C2;
    public const int OrganizationSubType = 1;
    public static readonly double RateOffsetScale = Math.Pow(2, 41);

    /// <summary>The rate ratio this TLV says: 1 + cumulativeScaledRateOffset / 2^41.</summary>
    public double RateRatio => 1 + CumulativeScaledRateOffset / RateOffsetScale;

    /// <summary>(rateRatio − 1) × 2^41, saturating: the field holds about ±977 ppm.</summary>
    public static int ScaledRateOffsetOf(double rateRatio) => (int)Math.Clamp(Math.Round((rateRatio - 1) * RateOffsetScale), int.MinValue, int.MaxValue);

    public void Write(Span<byte> bytes)
    {
        BinaryPrimitives.WriteUInt16BigEndian(bytes, OrganizationExtension);
        BinaryPrimitives.WriteUInt16BigEndian(bytes[2..], Length - 4);
        bytes[4] = 0x00; bytes[5] = 0x80; bytes[6] = 0xC2;
        bytes[7] = 0; bytes[8] = 0; bytes[9] = OrganizationSubType;
        BinaryPrimitives.WriteInt32BigEndian(bytes[10..], CumulativeScaledRateOffset);
        BinaryPrimitives.WriteUInt16BigEndian(bytes[14..], GmTimeBaseIndicator);
        // ScaledNs is 96 bits: the top 32 are the sign extension of the 64 we keep.
        BinaryPrimitives.WriteInt32BigEndian(bytes[16..], LastGmPhaseChangeScaledNs < 0 ? -1 : 0);
        BinaryPrimitives.WriteInt64BigEndian(bytes[20..], LastGmPhaseChangeScaledNs);
        BinaryPrimitives.WriteInt32BigEndian(bytes[28..], ScaledLastGmFreqChange);
    }

    public static bool TryRead(ReadOnlySpan<byte> bytes, out FollowUpInformationTlv tlv)
    {
        tlv = default;
        if (bytes.Length < Length || BinaryPrimitives.ReadUInt16BigEndian(bytes) != OrganizationExtension
            || BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]) != Length - 4 || bytes[4] != 0x00 || bytes[5] != 0x80 || bytes[6] != 0xC2 || bytes[9] != OrganizationSubType)
            return false;
        tlv = new FollowUpInformationTlv(BinaryPrimitives.ReadInt32BigEndian(bytes[10..]), BinaryPrimitives.ReadUInt16BigEndian(bytes[14..]),
            BinaryPrimitives.ReadInt64BigEndian(bytes[20..]), BinaryPrimitives.ReadInt32BigEndian(bytes[28..]));
        return true;
    }
}
