using TsnSim.Hosting;
using TsnSim.Core.Time;

namespace TsnSim.Cli;

/// <summary>Parses option values that System.CommandLine takes as strings, with messages that name the option.</summary>
public static class OptionValues
{
    public static SimTime? Duration(string? text, string option) =>
        text is null ? null : ProcessOptions.ParsePositiveDuration(text, option);

    public static DataRate Rate(string text, string option)
    {
        if (!DataRate.TryParse(text, out var value, out var error))
            throw new UserInputException($"{option}: {error}");
        return value;
    }

    public static int Positive(int value, string option) =>
        value > 0 ? value : throw new UserInputException($"{option}: {value} is not positive; expected a whole number above zero");
}
