namespace TsnSim.Core.Ptp;

/// <summary>Which PTP a topology runs.</summary>
public enum PtpProfile
{
    /// <summary>802.1AS: peer delay on every link, every bridge a time-aware relay.</summary>
    Gptp,

    /// <summary>IEEE 1588's default delay request-response profile: hosts are ordinary clocks measuring the whole path with Delay_Req/Delay_Resp, bridges end-to-end transparent clocks.</summary>
    E2e,
}
