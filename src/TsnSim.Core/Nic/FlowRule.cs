using System.Net;

namespace TsnSim.Core.Nic;

/// <summary>
/// An Rx steering rule, as ethtool's ntuple filters: a packet whose every given field matches
/// goes to <see cref="Queue"/>, ahead of RSS. Rules are tried in order; the first match wins.
/// A field left null matches anything.
/// </summary>
public sealed record FlowRule(string Name, int Queue)
{
    public ushort? EtherType { get; init; }
    public ushort? Vlan { get; init; }
    public byte? Pcp { get; init; }
    /// <summary>IP protocol (6 TCP, 17 UDP…).</summary>
    public byte? Protocol { get; init; }
    public IPAddress? SourceAddress { get; init; }
    public IPAddress? DestinationAddress { get; init; }
    public ushort? SourcePort { get; init; }
    public ushort? DestinationPort { get; init; }

    public bool Matches(ReadOnlySpan<byte> frame, in PacketHeaders headers)
    {
        if (EtherType is { } type && headers.EtherType != type) return false;
        if (Vlan is { } vlan && (!headers.Tagged || headers.Vlan != vlan)) return false;
        if (Pcp is { } pcp && (!headers.Tagged || headers.Pcp != pcp)) return false;
        if (Protocol is { } protocol && (headers.IpVersion == 0 || headers.Protocol != protocol)) return false;
        if (SourceAddress is { } source && !AddressIs(frame, headers, 0, source)) return false;
        if (DestinationAddress is { } destination && !AddressIs(frame, headers, 1, destination)) return false;
        if ((SourcePort is not null || DestinationPort is not null) && headers.TransportOffset < 0) return false;
        if (SourcePort is { } sourcePort && headers.SourcePort != sourcePort) return false;
        if (DestinationPort is { } destinationPort && headers.DestinationPort != destinationPort) return false;
        return true;
    }

    private static bool AddressIs(ReadOnlySpan<byte> frame, in PacketHeaders headers, int which, IPAddress address)
    {
        if (headers.IpVersion == 0) return false;
        int length = headers.AddressBytes / 2;
        Span<byte> expected = stackalloc byte[16];
        if (!address.TryWriteBytes(expected, out int written) || written != length) return false;
        return frame.Slice(headers.AddressOffset + which * length, length).SequenceEqual(expected[..length]);
    }
}
