namespace TsnSim.Core.Tracing;

/// <summary>What a traced frame's stay on one node ended with.</summary>
public enum HopKind
{
    /// <summary>Created by its talker and transmitted.</summary>
    Send,

    /// <summary>Received by a bridge and transmitted on one egress port.</summary>
    Forward,

    /// <summary>Received by a host and handed to the application listening for it.</summary>
    Deliver,

    /// <summary>Dropped on the node: queue full, VLAN filtering, not addressed to the host, and so on.</summary>
    Drop,
}
