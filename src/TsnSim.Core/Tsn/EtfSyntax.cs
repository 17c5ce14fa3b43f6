using System.Globalization;

namespace TsnSim.Core.Tsn;

/// <summary>
/// Reads tc-etf's parameters verbatim (<c>clockid CLOCK_TAI delta 300000 offload</c>, after an
/// optional <c>tc qdisc … etf</c> prefix; <c>deadline_mode</c> and <c>skip_sock_check</c> too).
/// The clock is always the node's PHC, so <c>clockid</c> is checked to be a clock etf accepts
/// and left aside. Errors name the offending word and its offset in the text.
/// </summary>
public static class EtfSyntax
{
    public static EtfConfig? Parse(string text, List<TaprioSyntax.Error> errors)
    {
        var (words, i) = TcWords.Of(text, "etf");
        long delta = 0;
        bool offload = false, deadline = false, clock = false;
        int offset = 0;
        while (i < words.Length)
        {
            var word = words[i++];
            offset = text.IndexOf(word, offset, StringComparison.Ordinal);
            switch (word)
            {
                case "offload": offload = true; break;
                case "deadline_mode": deadline = true; break;
                case "skip_sock_check": break;
                case "delta":
                    // The kernel keeps delta as a signed 32-bit count of nanoseconds and refuses a negative one.
                    if (i < words.Length && int.TryParse(words[i], NumberStyles.None, CultureInfo.InvariantCulture, out var ns)) delta = ns;
                    else errors.Add(new TaprioSyntax.Error(offset, $"delta needs a whole number of nanoseconds from 0 to {int.MaxValue}"));
                    i++;
                    break;
                case "clockid":
                    clock = true;
                    // As the kernel's etf: "Invalid clockid. CLOCK_TAI must be used".
                    if (i >= words.Length || words[i] is not "CLOCK_TAI")
                        errors.Add(new TaprioSyntax.Error(offset, $"clockid {(i < words.Length ? words[i] : "(none)")} is not CLOCK_TAI; etf takes CLOCK_TAI only"));
                    i++;
                    break;
                default:
                    errors.Add(new TaprioSyntax.Error(offset, $"unknown word '{word}'; expected clockid, delta, offload, deadline_mode or skip_sock_check"));
                    // What follows a misspelt keyword is its argument: one error, not one per word.
                    while (i < words.Length && words[i] is not ("clockid" or "delta" or "offload" or "deadline_mode" or "skip_sock_check")) i++;
                    break;
            }
        }
        // etf itself refuses a qdisc without a clock.
        if (!clock && errors.Count == 0) errors.Add(new TaprioSyntax.Error(text.Length, "clockid is missing; tc-etf needs one, such as clockid CLOCK_TAI"));
        return errors.Count == 0 ? new EtfConfig(delta, offload, deadline) : null;
    }
}
