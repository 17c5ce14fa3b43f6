using System.Globalization;
using System.Net;
using System.Net.Sockets;
using TsnSim.Core.Nic;

namespace TsnSim.Hosting.Nic;

/// <summary>
/// What <c>tsnsim nic rss</c> computes: the Toeplitz hash of one flow's RSS input and the Rx
/// queue the indirection table gives it, from endpoints written as a driver developer writes
/// them (<c>10.0.0.1:80</c>, <c>[fe80::1]:80</c>, or an address alone for the IP hash types).
/// </summary>
public static class RssQuery
{
    /// <summary>Hash and queue for the flow; every bad value is a <see cref="UserInputException"/> naming its option.</summary>
    public static (uint Hash, int Queue) Run(string source, string destination, string protocol, string? keyHex, int tableSize, int queues)
    {
        bool withPorts = protocol switch
        {
            "tcp" or "udp" => true,
            "ip" => false,
            _ => throw new UserInputException($"--proto: '{protocol}' is not a hash type; expected tcp, udp or ip"),
        };
        var (srcAddress, srcPort) = Endpoint(source, "--src", withPorts);
        var (dstAddress, dstPort) = Endpoint(destination, "--dst", withPorts);
        if (srcAddress.AddressFamily != dstAddress.AddressFamily)
            throw new UserInputException($"--dst: {dstAddress} is not of the IP version of --src {srcAddress}; expected two IPv4 or two IPv6 addresses");
        if (tableSize < 1 || tableSize > 65536 || (tableSize & (tableSize - 1)) != 0)
            throw new UserInputException($"--table-size: {tableSize} is not a power of two from 1 to 65536 (NDIS tables have up to 128 entries)");
        if (queues < 1 || queues > 16) throw new UserInputException($"--queues: {queues} is not a queue count from 1 to 16");
        var hash = new ToeplitzHash(keyHex is null ? ToeplitzHash.VerificationKey : Key(keyHex));
        Span<byte> input = stackalloc byte[ToeplitzHash.MaxInputBytes];
        int length = RssInput.Write(srcAddress, dstAddress, withPorts ? (srcPort, dstPort) : null, input);
        uint value = hash.Compute(input[..length]);
        return (value, RssIndirectionTable.Spread(tableSize, queues).QueueOf(value));
    }

    /// <summary>The line the command prints.</summary>
    public static string Format(uint hash, int queue) => string.Create(CultureInfo.InvariantCulture, $"hash=0x{hash:x8} queue={queue}");

    private static (IPAddress Address, ushort Port) Endpoint(string text, string option, bool withPort)
    {
        string address = text, port = "";
        if (text.StartsWith('['))
        {
            int close = text.IndexOf(']');
            if (close < 0) throw new UserInputException($"{option}: '{text}' has no closing ']'; expected [IPv6-address]:port");
            address = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0 && !rest.StartsWith(':')) throw new UserInputException($"{option}: '{text}': expected ':port' after the bracketed address");
            port = rest.TrimStart(':');
        }
        else if (text.Count(c => c == ':') == 1)
        {
            // One colon: IPv4 with a port. More: a bare IPv6 address, which cannot carry a port without brackets.
            (address, port) = (text[..text.IndexOf(':')], text[(text.IndexOf(':') + 1)..]);
        }
        // IPAddress also reads legacy IPv4 forms ("1.2.3" is 1.2.0.3): a driver developer means four dotted numbers.
        bool dottedQuad = address.Split('.') is { Length: 4 } parts && parts.All(p => byte.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _));
        if (!IPAddress.TryParse(address, out var ip) || ip.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)
            || (ip.AddressFamily == AddressFamily.InterNetwork && !dottedQuad))
            throw new UserInputException($"{option}: '{address}' is not an IP address; expected ADDR[:PORT] such as 66.9.149.187:2794 or [3ffe:2501:200:1fff::7]:2794");
        if (port.Length == 0)
        {
            if (withPort) throw new UserInputException($"{option}: '{text}' has no port; the tcp and udp hash types hash the ports too (expected ADDR:PORT, or --proto ip)");
            return (ip, 0);
        }
        if (!ushort.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            throw new UserInputException($"{option}: port '{port}' is not a number from 0 to 65535");
        return (ip, number);
    }

    private static byte[] Key(string hex)
    {
        var digits = new string(hex.Where(c => c is not (':' or ' ' or '-')).ToArray());
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) digits = digits[2..];
        try
        {
            var key = Convert.FromHexString(digits);
            if (key.Length == ToeplitzHash.KeyBytes) return key;
            throw new UserInputException($"--key: {key.Length} bytes; an RSS key is {ToeplitzHash.KeyBytes} bytes ({ToeplitzHash.KeyBytes * 2} hex digits)");
        }
        catch (FormatException)
        {
            throw new UserInputException($"--key: '{hex}' is not hex; expected {ToeplitzHash.KeyBytes * 2} hex digits (colons or spaces between bytes allowed)");
        }
    }
}
