namespace TsnSim.Core.Nic;

/// <summary>
/// RSS as the NIC applies it to a received packet, by NDIS's rules ("RSS Hashing Types"): TCP or
/// UDP over IPv4 or IPv6 hashes the 4-tuple when that type is on; a fragment (the first
/// included), a transport the types do not cover, or one whose header cannot be found hashes
/// the 2-tuple when the IP type is on; anything else is not hashed and goes to the unhashed
/// queue. The key and table can be replaced while traffic runs.
/// </summary>
public sealed class RssClassifier
{
    private ToeplitzHash _hash;
    private RssIndirectionTable _table;

    public RssClassifier(RssSettings settings)
    {
        Settings = settings;
        _hash = new ToeplitzHash(settings.Key);
        _table = new RssIndirectionTable(settings.Table);
    }

    public RssSettings Settings { get; private set; }

    /// <summary>Takes a new key and/or table; the hash types and the unhashed queue stay.</summary>
    public void Apply(byte[]? key, IReadOnlyList<int>? table)
    {
        if (key is not null) _hash = new ToeplitzHash(key);
        if (table is not null) _table = new RssIndirectionTable(table);
        Settings = Settings with { Key = key ?? Settings.Key, Table = table ?? Settings.Table };
    }

    /// <summary>The hash, its type and the queue for <paramref name="frame"/>; type <see cref="RssHashType.None"/> when it is not hashed.</summary>
    public (uint Hash, RssHashType Type, int Queue) Classify(ReadOnlySpan<byte> frame, in PacketHeaders headers)
    {
        var type = TypeFor(headers);
        if (type == RssHashType.None) return (0, RssHashType.None, Settings.UnhashedQueue);
        var addresses = frame.Slice(headers.AddressOffset, headers.AddressBytes);
        bool withPorts = type is RssHashType.TcpIpv4 or RssHashType.UdpIpv4 or RssHashType.TcpIpv6 or RssHashType.UdpIpv6;
        uint hash = withPorts ? _hash.Compute(addresses, frame.Slice(headers.TransportOffset, 4)) : _hash.Compute(addresses);
        return (hash, type, _table.QueueOf(hash));
    }

    /// <summary>Which hash type a packet gets under the enabled types.</summary>
    public RssHashType TypeFor(in PacketHeaders headers)
    {
        if (!Settings.Enabled) return RssHashType.None;
        var enabled = Settings.HashTypes;
        var (tcp, udp, ip) = headers.IpVersion switch
        {
            4 => (RssHashType.TcpIpv4, RssHashType.UdpIpv4, RssHashType.Ipv4),
            6 => (RssHashType.TcpIpv6, RssHashType.UdpIpv6, RssHashType.Ipv6),
            _ => (RssHashType.None, RssHashType.None, RssHashType.None),
        };
        if (ip == RssHashType.None) return RssHashType.None;
        // NDIS: a fragmented packet, the first fragment with its TCP header included, must use the IP type.
        if (!headers.Fragment)
        {
            if (headers.IsTcp && (enabled & tcp) != 0) return tcp;
            if (headers.IsUdp && (enabled & udp) != 0) return udp;
        }
        return (enabled & ip) != 0 ? ip : RssHashType.None;
    }
}
