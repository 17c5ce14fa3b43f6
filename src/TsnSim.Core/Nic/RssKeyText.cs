namespace TsnSim.Core.Nic;

/// <summary>An RSS key written as hex: 80 digits, optionally with a 0x prefix and colons, spaces or dashes between bytes.</summary>
public static class RssKeyText
{
    public static bool TryParse(string hex, out byte[] key, out string error)
    {
        key = [];
        error = "";
        var digits = new string(hex.Where(c => c is not (':' or ' ' or '-')).ToArray());
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) digits = digits[2..];
        try { key = Convert.FromHexString(digits); }
        catch (FormatException)
        {
            error = $"'{hex}' is not hex; expected {ToeplitzHash.KeyBytes * 2} hex digits (colons or spaces between bytes allowed)";
            return false;
        }
        if (key.Length == ToeplitzHash.KeyBytes) return true;
        error = $"{key.Length} bytes; an RSS key is {ToeplitzHash.KeyBytes} bytes ({ToeplitzHash.KeyBytes * 2} hex digits)";
        return false;
    }
}
