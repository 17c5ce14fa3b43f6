using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace TsnSim.Core.Nic;

/// <summary>
/// One end of a flow as a driver developer writes it: <c>10.0.0.1:80</c>, <c>[fe80::1]:80</c>, or
/// an address alone where no port is needed. Legacy IPv4 forms (<c>1.2.3</c>) are refused: four
/// dotted numbers are meant.
/// </summary>
public readonly record struct FlowEndpoint(IPAddress Address, ushort Port)
{
    public bool IsIpv6 => Address.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>Reads <paramref name="text"/>; on failure <paramref name="error"/> says what is wrong and what is expected.</summary>
    public static bool TryParse(string text, bool withPort, out FlowEndpoint endpoint, out string error)
    {
        endpoint = default;
        error = "";
        string address = text, port = "";
        if (text.StartsWith('['))
        {
            int close = text.IndexOf(']');
            if (close < 0) { error = $"'{text}' has no closing ']'; expected [IPv6-address]:port"; return false; }
            address = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0 && !rest.StartsWith(':')) { error = $"'{text}': expected ':port' after the bracketed address"; return false; }
            port = rest.TrimStart(':');
        }
        else if (text.Count(c => c == ':') == 1)
        {
            // One colon: IPv4 with a port. More: a bare IPv6 address, which cannot carry a port without brackets.
            (address, port) = (text[..text.IndexOf(':')], text[(text.IndexOf(':') + 1)..]);
        }
        bool dottedQuad = address.Split('.') is { Length: 4 } parts && parts.All(p => byte.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _) && (p.Length == 1 || p[0] != '0'));
        if (!IPAddress.TryParse(address, out var ip) || ip.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)
            || (ip.AddressFamily == AddressFamily.InterNetwork && !dottedQuad))
        {
            error = $"'{address}' is not an IP address; expected ADDR[:PORT] such as 66.9.149.187:2794 or [3ffe:2501:200:1fff::7]:2794";
            return false;
        }
        if (port.Length == 0)
        {
            if (withPort) { error = $"'{text}' has no port; expected ADDR:PORT such as 10.0.0.1:5000 or [fe80::1]:5000"; return false; }
            endpoint = new FlowEndpoint(ip, 0);
            return true;
        }
        if (!ushort.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            error = $"port '{port}' is not a number from 0 to 65535";
            return false;
        }
        endpoint = new FlowEndpoint(ip, number);
        return true;
    }

    public override string ToString() => IsIpv6 ? $"[{Address}]:{Port}" : $"{Address}:{Port}";
}
