namespace TsnSim.Core.Ptp.Messages;

/// <summary>IEEE 1588-2019 Table 36: the messageType nibble. Event messages (below 8) are timestamped.</summary>
public enum PtpMessageType : byte
{
    Sync = 0x0,
    DelayReq = 0x1,
    PdelayReq = 0x2,
    PdelayResp = 0x3,
    FollowUp = 0x8,
    DelayResp = 0x9,
    PdelayRespFollowUp = 0xA,
    Announce = 0xB,
    Signaling = 0xC,
    Management = 0xD,
}
