using TsnSim.Core.Time;

namespace TsnSim.Hosting;

/// <summary>
/// Options of the node and coordinator processes: <c>--name value</c> or <c>--name=value</c> on the
/// command line, else the environment variable <c>TSNSIM_NAME</c> (how compose configures them).
/// Unknown flags are refused by name.
/// </summary>
public sealed class ProcessOptions
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly string _program;

    public ProcessOptions(string program, string[] args, IReadOnlyCollection<string> known)
    {
        _program = program;
        for (int i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
                throw new UserInputException($"{program}: unexpected argument '{arg}'; expected options of the form --name value ({Describe(known)})");
            var body = arg[2..];
            string name, value;
            int equals = body.IndexOf('=');
            if (equals >= 0)
            {
                name = body[..equals];
                value = body[(equals + 1)..];
            }
            else
            {
                name = body;
                if (i + 1 >= args.Length) throw new UserInputException($"{program}: option --{name} needs a value");
                value = args[++i];
            }
            if (!known.Contains(name))
                throw new UserInputException($"{program}: unknown option --{name}; expected {Describe(known)}");
            _values[name] = value;
        }
    }

    public static string EnvironmentName(string option) => "TSNSIM_" + option.ToUpperInvariant().Replace('-', '_');

    public string? Get(string name) =>
        _values.TryGetValue(name, out var value) ? value : Environment.GetEnvironmentVariable(EnvironmentName(name)) is { Length: > 0 } env ? env : null;

    /// <summary>The option as a positive duration, or null when it is not given.</summary>
    public SimTime? GetDuration(string name) =>
        Get(name) is { } text ? ParsePositiveDuration(text, $"{_program}: --{name}") : null;

    /// <summary>A pace: how many times wall time virtual time may run, a number greater than zero (0.5, 1, 20).</summary>
    public static double ParsePace(string text, string option) =>
        double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var pace) && pace > 0 && double.IsFinite(pace)
            ? pace
            : throw new UserInputException($"{option}: '{text}' is not a pace; expected a number greater than zero, the most virtual seconds per wall second (1 = real time)");

    /// <summary>
    /// A duration greater than zero (<c>10ms</c>, <c>1.5us</c>); otherwise a message that starts
    /// with <paramref name="option"/> and says what is expected. Every process parses its
    /// duration options here, so they all read and complain alike.
    /// </summary>
    public static SimTime ParsePositiveDuration(string text, string option)
    {
        if (!SimTime.TryParse(text, out var value, out var error))
            throw new UserInputException($"{option}: {error}");
        if (value.Picoseconds <= 0)
            throw new UserInputException($"{option}: '{text}' is not positive; expected a duration greater than zero such as 10ms");
        return value;
    }

    public string Require(string name, string example) =>
        Get(name) ?? throw new UserInputException($"{_program}: --{name} is missing (or set {EnvironmentName(name)}); for example --{name} {example}");

    private static string Describe(IReadOnlyCollection<string> known) => string.Join(", ", known.Select(k => "--" + k));
}
