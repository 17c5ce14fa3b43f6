namespace TsnSim.Core.Nic;

/// <summary>
/// The Toeplitz hash of receive-side scaling (NDIS's NdisHashFunctionToeplitz): for each bit of
/// the input from the left, when it is set, XOR in the leftmost 32 bits of the key shifted left
/// by that bit's position. The key's windows are precomputed per input byte and byte value, so a
/// hash costs one table lookup per input byte and allocates nothing.
/// </summary>
public sealed class ToeplitzHash
{
    /// <summary>RSS keys are 40 bytes (320 bits): enough for the longest input and 32 more bits.</summary>
    public const int KeyBytes = 40;

    /// <summary>The longest input: two IPv6 addresses and two ports.</summary>
    public const int MaxInputBytes = 36;

    /// <summary>The key of Microsoft's RSS verification suite ("Verifying the RSS Hash Calculation"), the default.</summary>
    public static ReadOnlySpan<byte> VerificationKey =>
    [
        0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
        0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
        0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
    ];

    private readonly uint[] _table = new uint[MaxInputBytes * 256];
    private readonly byte[] _key;

    public ToeplitzHash(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeyBytes) throw new ArgumentException($"an RSS key is {KeyBytes} bytes, not {key.Length}", nameof(key));
        _key = key.ToArray();
        for (int position = 0; position < MaxInputBytes; position++)
        {
            // The 40 key bits from this byte on: the window of bit j (0 = the byte's most significant) is bits j … j + 31.
            ulong bits = (ulong)key[position] << 32 | (ulong)key[position + 1] << 24 | (ulong)key[position + 2] << 16
                | (ulong)key[position + 3] << 8 | key[position + 4];
            for (int value = 0; value < 256; value++)
            {
                uint hash = 0;
                for (int j = 0; j < 8; j++)
                    if ((value & (0x80 >> j)) != 0) hash ^= (uint)(bits >> (8 - j));
                _table[position * 256 + value] = hash;
            }
        }
    }

    public ReadOnlySpan<byte> Key => _key;

    /// <summary>The hash of <paramref name="input"/> (at most <see cref="MaxInputBytes"/> bytes).</summary>
    public uint Compute(ReadOnlySpan<byte> input)
    {
        if (input.Length > MaxInputBytes) throw new ArgumentException($"RSS hashes at most {MaxInputBytes} bytes, not {input.Length}", nameof(input));
        uint hash = 0;
        for (int i = 0; i < input.Length; i++) hash ^= _table[(i << 8) | input[i]];
        return hash;
    }

    /// <summary>The hash of <paramref name="first"/> followed by <paramref name="second"/>: addresses and ports read in place from a packet.</summary>
    public uint Compute(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        if (first.Length + second.Length > MaxInputBytes) throw new ArgumentException($"RSS hashes at most {MaxInputBytes} bytes, not {first.Length + second.Length}");
        uint hash = 0;
        for (int i = 0; i < first.Length; i++) hash ^= _table[(i << 8) | first[i]];
        for (int i = 0, p = first.Length; i < second.Length; i++, p++) hash ^= _table[(p << 8) | second[i]];
        return hash;
    }
}
