using TsnSim.Hosting;
using TsnSim.Core.Frames;
using TsnSim.Core.Time;

namespace TsnSim.Cli;

/// <summary>Parses option values that System.CommandLine takes as strings, with messages that name the option.</summary>
public static class OptionValues
{
    public static SimTime? Duration(string? text, string option) =>
        text is null ? null : ProcessOptions.ParsePositiveDuration(text, option);

    /// <summary>A virtual time or delay that may be zero (<c>--at 0</c>), in the syntax of every duration option.</summary>
    public static SimTime Instant(string text, string option)
    {
        if (!SimTime.TryParse(text, out var value, out var error))
            throw new UserInputException($"{option}: {error}");
        return value.Picoseconds >= 0 ? value : throw new UserInputException($"{option}: '{text}' is negative; expected a time of zero or more such as 10ms");
    }

    public static MacAddress Mac(string text, string option)
    {
        try
        {
            return MacAddress.Parse(text);
        }
        catch (FormatException e)
        {
            throw new UserInputException($"{option}: {e.Message}");
        }
    }

    /// <summary>Bytes written as hex digits, pairs optionally separated by ':', '-' or spaces.</summary>
    public static byte[] Hex(string text, string option)
    {
        var digits = string.Concat(text.Where(c => c is not (':' or '-' or ' ')));
        try
        {
            return digits.Length > 0 ? Convert.FromHexString(digits) : throw new FormatException();
        }
        catch (FormatException)
        {
            throw new UserInputException($"{option}: '{text}' is not hex bytes; expected pairs of hex digits such as 0200000000020200000000018100");
        }
    }

    public static DataRate Rate(string text, string option)
    {
        if (!DataRate.TryParse(text, out var value, out var error))
            throw new UserInputException($"{option}: {error}");
        return value;
    }

    public static int Positive(int value, string option) =>
        value > 0 ? value : throw new UserInputException($"{option}: {value} is not positive; expected a whole number above zero");
}
