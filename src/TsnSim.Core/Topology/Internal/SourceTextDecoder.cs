using System.Text;

namespace TsnSim.Core.Topology.Internal;

/// <summary>
/// Turns file bytes into text, refusing binary content with the offset of the first bad byte:
/// a user who passed a pcap or a UTF-16 file should hear that, not a baffling YAML error.
/// </summary>
internal static class SourceTextDecoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string? Decode(byte[] content, DiagnosticCollector diagnostics)
    {
        ReadOnlySpan<byte> bytes = content;
        int skipped = bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        bytes = bytes[skipped..];

        int nul = bytes.IndexOf((byte)0);
        int invalid = FirstInvalidUtf8(bytes);
        int bad = nul < 0 ? invalid : invalid < 0 ? nul : Math.Min(nul, invalid);
        if (bad >= 0)
        {
            var (line, column) = PositionOf(bytes, bad);
            var looksUtf16 = bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]);
            var what = bad == nul ? "a NUL byte" : $"an invalid UTF-8 byte 0x{bytes[bad]:x2}";
            var hint = looksUtf16 ? " (the file looks like UTF-16; save it as UTF-8)" : "";
            diagnostics.Error(line, column, "", $"not a text file: {what} at byte offset {bad + skipped}{hint}; expected YAML text in UTF-8");
            return null;
        }
        return StrictUtf8.GetString(bytes);
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        // One UTF-16 char per UTF-8 byte is always enough room, so one call decodes or stops at the bad byte.
        var status = System.Text.Unicode.Utf8.ToUtf16(bytes, new char[bytes.Length], out int read, out _, replaceInvalidSequences: false);
        return status == System.Buffers.OperationStatus.Done ? -1 : read;
    }

    /// <summary>1-based line and column (in characters) of a byte offset that precedes any invalid byte.</summary>
    private static (int Line, int Column) PositionOf(ReadOnlySpan<byte> bytes, int offset)
    {
        int line = 1, column = 1;
        for (int i = 0; i < offset; i++)
        {
            if (bytes[i] == (byte)'\n') { line++; column = 1; }
            else if ((bytes[i] & 0xC0) != 0x80) column++;
        }
        return (line, column);
    }
}
