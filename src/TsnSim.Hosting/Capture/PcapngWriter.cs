using System.Buffers.Binary;
using System.Text;

namespace TsnSim.Hosting.Capture;

/// <summary>
/// A pcapng file (draft-ietf-opsawg-pcapng) with one Ethernet interface: a section header, an
/// interface description with nanosecond timestamps (if_tsresol 9) and the interface's name,
/// then one enhanced packet block per frame with its direction (epb_flags). What Wireshark and
/// tshark read.
/// </summary>
public sealed class PcapngWriter : IDisposable
{
    private const uint SectionHeaderBlock = 0x0A0D0D0A;
    private const uint InterfaceDescriptionBlock = 1;
    private const uint EnhancedPacketBlock = 6;
    private const ushort LinkTypeEthernet = 1;
    private const ushort OptionEnd = 0, OptionComment = 1, OptionApplication = 4, OptionInterfaceName = 2, OptionTimestampResolution = 9, OptionFlags = 2;
    private const uint Inbound = 1, Outbound = 2;

    private readonly Stream _stream;
    private readonly byte[] _block = new byte[16 * 1024];

    public PcapngWriter(Stream stream, string interfaceName, string comment)
    {
        _stream = stream;
        WriteSectionHeader(comment);
        WriteInterface(interfaceName);
    }

    public long Packets { get; private set; }

    /// <summary>One frame, its timestamp in nanoseconds since the Unix epoch, sent (outbound) or received.</summary>
    public void Write(ReadOnlySpan<byte> frame, long timestampNs, bool outbound)
    {
        int padded = Align(frame.Length);
        int length = 28 + padded + 8 + 4 + 4;
        var block = length <= _block.Length ? _block.AsSpan(0, length) : new byte[length];
        BinaryPrimitives.WriteUInt32LittleEndian(block, EnhancedPacketBlock);
        BinaryPrimitives.WriteUInt32LittleEndian(block[4..], (uint)length);
        BinaryPrimitives.WriteUInt32LittleEndian(block[8..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(block[12..], (uint)((ulong)timestampNs >> 32));
        BinaryPrimitives.WriteUInt32LittleEndian(block[16..], (uint)timestampNs);
        BinaryPrimitives.WriteUInt32LittleEndian(block[20..], (uint)frame.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(block[24..], (uint)frame.Length);
        frame.CopyTo(block[28..]);
        block.Slice(28 + frame.Length, padded - frame.Length).Clear();
        int at = 28 + padded;
        BinaryPrimitives.WriteUInt16LittleEndian(block[at..], OptionFlags);
        BinaryPrimitives.WriteUInt16LittleEndian(block[(at + 2)..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(block[(at + 4)..], outbound ? Outbound : Inbound);
        BinaryPrimitives.WriteUInt32LittleEndian(block[(at + 8)..], 0); // opt_endofopt
        BinaryPrimitives.WriteUInt32LittleEndian(block[(length - 4)..], (uint)length);
        _stream.Write(block);
        Packets++;
    }

    private void WriteSectionHeader(string comment)
    {
        var options = new List<(ushort, byte[])> { (OptionComment, Encoding.UTF8.GetBytes(comment)), (OptionApplication, Encoding.UTF8.GetBytes("tsnsim")) };
        var body = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(body, 0x1A2B3C4D);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(6), 0);
        BinaryPrimitives.WriteInt64LittleEndian(body.AsSpan(8), -1); // section length unknown
        WriteBlock(SectionHeaderBlock, body, options);
    }

    private void WriteInterface(string name)
    {
        var body = new byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(body, LinkTypeEthernet);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(4), 0); // no snap length limit
        WriteBlock(InterfaceDescriptionBlock, body, [(OptionInterfaceName, Encoding.UTF8.GetBytes(name)), (OptionTimestampResolution, [9])]);
    }

    private void WriteBlock(uint type, byte[] body, List<(ushort Code, byte[] Value)> options)
    {
        int optionsLength = options.Sum(o => 4 + Align(o.Value.Length)) + 4;
        int length = 8 + body.Length + optionsLength + 4;
        var block = new byte[length];
        BinaryPrimitives.WriteUInt32LittleEndian(block, type);
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(4), (uint)length);
        body.CopyTo(block, 8);
        int at = 8 + body.Length;
        foreach (var (code, value) in options)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(at), code);
            BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(at + 2), (ushort)value.Length);
            value.CopyTo(block, at + 4);
            at += 4 + Align(value.Length);
        }
        at += 4; // opt_endofopt, already zero
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(at), (uint)length);
        _stream.Write(block);
    }

    private static int Align(int length) => (length + 3) & ~3;

    public void Dispose() => _stream.Dispose();
}
