using System.Globalization;

namespace TsnSim.Core.Frames;

/// <summary>A 48-bit IEEE 802 MAC address, held in the low 48 bits of a ulong (first octet most significant).</summary>
public readonly record struct MacAddress(ulong Value)
{
    public static readonly MacAddress Broadcast = new(0xFFFF_FFFF_FFFF);

    /// <summary>Bytes in an address.</summary>
    public const int Length = 6;

    /// <summary>The individual/group bit: set on multicast and broadcast addresses.</summary>
    public bool IsGroup => (Value & 0x0100_0000_0000) != 0;

    /// <summary>A frame's source address (<see cref="Value"/>), or <see cref="ulong.MaxValue"/> (no address) for one too short to have it.</summary>
    public static ulong SourceOf(ReadOnlySpan<byte> frame) =>
        frame.Length >= 2 * Length ? Read(frame[Length..]).Value : ulong.MaxValue;

    public static MacAddress Read(ReadOnlySpan<byte> bytes) =>
        new(((ulong)bytes[0] << 40) | ((ulong)bytes[1] << 32) | ((ulong)bytes[2] << 24)
            | ((ulong)bytes[3] << 16) | ((ulong)bytes[4] << 8) | bytes[5]);

    public void Write(Span<byte> bytes)
    {
        bytes[0] = (byte)(Value >> 40); bytes[1] = (byte)(Value >> 32); bytes[2] = (byte)(Value >> 24);
        bytes[3] = (byte)(Value >> 16); bytes[4] = (byte)(Value >> 8); bytes[5] = (byte)Value;
    }

    /// <summary>Parses <c>02:00:5e:10:00:01</c> or <c>02-00-5E-10-00-01</c>.</summary>
    public static bool TryParse(string? text, out MacAddress value)
    {
        value = default;
        var parts = (text ?? "").Trim().Split(':', '-');
        if (parts.Length != 6) return false;
        ulong v = 0;
        foreach (var part in parts)
        {
            if (part.Length != 2 || !byte.TryParse(part, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b)) return false;
            v = (v << 8) | b;
        }
        value = new MacAddress(v);
        return true;
    }

    public static MacAddress Parse(string text) =>
        TryParse(text, out var value) ? value : throw new FormatException($"'{text}' is not a MAC address; expected six hex octets such as 02:00:00:00:00:01");

    public override string ToString()
    {
        Span<byte> octets = stackalloc byte[6];
        Write(octets);
        return Convert.ToHexStringLower(octets).Insert(10, ":").Insert(8, ":").Insert(6, ":").Insert(4, ":").Insert(2, ":");
    }
}
