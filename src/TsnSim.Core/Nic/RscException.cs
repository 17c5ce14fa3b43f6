namespace TsnSim.Core.Nic;

/// <summary>
/// Why a segment was not coalesced into its flow's unit, by NDIS's "Exception Conditions that
/// Terminate Coalescing" and "Rules for Coalescing TCP/IP Segments" (numbers as the exception list has them).
/// </summary>
public enum RscException
{
    None = 0,
    /// <summary>1: every coalescing context of the queue is in use by another flow.</summary>
    NoContext,
    /// <summary>3: a flag other than ACK and PSH (SYN, FIN, RST, URG; ECE and CWR are rule 8's).</summary>
    Flags,
    /// <summary>4: a TCP option other than timestamps.</summary>
    TcpOptions,
    /// <summary>5: IPv4 options or IPv6 extension headers.</summary>
    IpOptions,
    /// <summary>6: an IP fragment.</summary>
    Fragment,
    /// <summary>7: the unit would exceed the largest IP datagram (65535 bytes); coalescing resumes with this segment.</summary>
    Size,
    /// <summary>8: the ECN field, or the ECE and CWR flags, differ from the previous segment's; coalescing resumes with this segment.</summary>
    EcnChange,
    /// <summary>A segment out of order: its sequence number is not the next one expected.</summary>
    OutOfOrder,
    /// <summary>A pure ACK that acknowledges more than the unit's ACK (a duplicate ACK is absorbed and counted instead).</summary>
    PureAck,
    /// <summary>A timestamp older than the unit's (TSval went back).</summary>
    Timestamp,
}
