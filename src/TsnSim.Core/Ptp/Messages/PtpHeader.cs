using System.Buffers.Binary;

namespace TsnSim.Core.Ptp.Messages;

/// <summary>
/// The common header of every PTP message (IEEE 1588-2019 13.3, 34 octets): majorSdoId and
/// messageType, minorVersionPTP and versionPTP, messageLength, domainNumber, minorSdoId,
/// flagField, correctionField (ns × 2^16, signed), messageTypeSpecific, sourcePortIdentity,
/// sequenceId, controlField, logMessageInterval.
/// </summary>
public record struct PtpHeader(PtpMessageType MessageType, ushort MessageLength, PortIdentity SourcePortIdentity, ushort SequenceId)
{
    public const int Length = 34;

    /// <summary>802.1AS's transportSpecific (majorSdoId): 1, so gPTP and 1588 default-profile frames tell apart.</summary>
    public const byte GptpMajorSdoId = 1;

    public byte MajorSdoId { get; set; } = GptpMajorSdoId;
    public byte VersionPtp { get; set; } = 2;
    public byte MinorVersionPtp { get; set; } = 1;
    public byte DomainNumber { get; set; }
    public byte MinorSdoId { get; set; }
    public ushort Flags { get; set; }

    /// <summary>Nanoseconds × 2^16: 48 bits of ns and 16 of fraction.</summary>
    public long CorrectionField { get; set; }
    public uint MessageTypeSpecific { get; set; }
    public byte ControlField { get; set; } = ControlFieldOf(MessageType);
    public sbyte LogMessageInterval { get; set; }

    // flagField bits (Table 37): octet 0 in the high byte of Flags.
    public const ushort TwoStepFlag = 0x0200;
    public const ushort PtpTimescaleFlag = 0x0008;

    /// <summary>1588's controlField values (Table 42), which receivers of version 2.0 still read.</summary>
    public static byte ControlFieldOf(PtpMessageType type) => type switch
    {
        PtpMessageType.Sync => 0,
        PtpMessageType.DelayReq => 1,
        PtpMessageType.FollowUp => 2,
        PtpMessageType.DelayResp => 3,
        PtpMessageType.Management => 4,
        _ => 5,
    };

    public readonly void Write(Span<byte> bytes)
    {
        bytes[0] = (byte)((MajorSdoId << 4) | (byte)MessageType);
        bytes[1] = (byte)((MinorVersionPtp << 4) | VersionPtp);
        BinaryPrimitives.WriteUInt16BigEndian(bytes[2..], MessageLength);
        bytes[4] = DomainNumber;
        bytes[5] = MinorSdoId;
        BinaryPrimitives.WriteUInt16BigEndian(bytes[6..], Flags);
        BinaryPrimitives.WriteInt64BigEndian(bytes[8..], CorrectionField);
        BinaryPrimitives.WriteUInt32BigEndian(bytes[16..], MessageTypeSpecific);
        SourcePortIdentity.Write(bytes[20..]);
        BinaryPrimitives.WriteUInt16BigEndian(bytes[30..], SequenceId);
        bytes[32] = ControlField;
        bytes[33] = (byte)LogMessageInterval;
    }

    public static bool TryRead(ReadOnlySpan<byte> bytes, out PtpHeader header)
    {
        header = default;
        if (bytes.Length < Length || (bytes[1] & 0x0F) != 2) return false;
        header = new PtpHeader((PtpMessageType)(bytes[0] & 0x0F), BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]),
            PortIdentity.Read(bytes[20..]), BinaryPrimitives.ReadUInt16BigEndian(bytes[30..]))
        {
            MajorSdoId = (byte)(bytes[0] >> 4),
            VersionPtp = (byte)(bytes[1] & 0x0F),
            MinorVersionPtp = (byte)(bytes[1] >> 4),
            DomainNumber = bytes[4],
            MinorSdoId = bytes[5],
            Flags = BinaryPrimitives.ReadUInt16BigEndian(bytes[6..]),
            CorrectionField = BinaryPrimitives.ReadInt64BigEndian(bytes[8..]),
            MessageTypeSpecific = BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]),
            ControlField = bytes[32],
            LogMessageInterval = (sbyte)bytes[33],
        };
        return header.MessageLength >= Length && header.MessageLength <= bytes.Length;
    }
}
