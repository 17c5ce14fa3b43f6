using System.Globalization;
using System.Net;
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
        if (!FlowEndpoint.TryParse(text, withPort, out var endpoint, out var error))
            throw new UserInputException(error.Contains("has no port")
                ? $"{option}: '{text}' has no port; the tcp and udp hash types hash the ports too (expected ADDR:PORT, or --proto ip)"
                : $"{option}: {error}");
        return (endpoint.Address, endpoint.Port);
    }

    private static byte[] Key(string hex) =>
        RssKeyText.TryParse(hex, out var key, out var error) ? key : throw new UserInputException($"--key: {error}");
}
