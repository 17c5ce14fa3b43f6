using System.Globalization;

namespace TsnSim.Core.Tsn;

/// <summary>
/// Reads tc-cbs's parameters verbatim (<c>idleslope 20000 sendslope -980000 hicredit 30
/// locredit -1470</c>, after an optional <c>tc qdisc … cbs</c> prefix; <c>offload</c> is accepted
/// and left aside). Errors name the offending word and its offset in the text.
/// </summary>
public static class CbsSyntax
{
    public static CreditBasedShaperConfig? Parse(string text, List<TaprioSyntax.Error> errors)
    {
        var (words, i) = TcWords.Of(text, "cbs");
        long? idle = null, send = null, hi = null, lo = null;
        int offset = 0;
        while (i < words.Length)
        {
            var word = words[i++];
            offset = text.IndexOf(word, offset, StringComparison.Ordinal);
            long? value = i < words.Length && long.TryParse(words[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null;
            switch (word)
            {
                case "idleslope": idle = value; break;
                case "sendslope": send = value; break;
                case "hicredit": hi = value; break;
                case "locredit": lo = value; break;
                case "offload": break;
                default:
                    errors.Add(new TaprioSyntax.Error(offset, $"unknown word '{word}'; expected idleslope, sendslope, hicredit, locredit or offload"));
                    continue;
            }
            if (word != "offload" && value is null) errors.Add(new TaprioSyntax.Error(offset, $"{word} needs a whole number ({(word.EndsWith("slope", StringComparison.Ordinal) ? "kbit/s" : "bytes")})"));
            i++;
        }
        foreach (var (name, given) in new[] { ("idleslope", idle), ("sendslope", send), ("hicredit", hi), ("locredit", lo) })
            if (given is null && errors.Count == 0) errors.Add(new TaprioSyntax.Error(text.Length, $"{name} is missing; tc-cbs needs idleslope, sendslope, hicredit and locredit"));
        return errors.Count == 0 ? new CreditBasedShaperConfig(idle!.Value, send!.Value, hi!.Value, lo!.Value) : null;
    }
}
