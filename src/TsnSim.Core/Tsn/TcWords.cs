namespace TsnSim.Core.Tsn;

/// <summary>A tc command line as words, from after the qdisc's name when a <c>tc qdisc … NAME</c> prefix is given.</summary>
internal static class TcWords
{
    /// <summary>The words (shell line continuations count as spaces) and the index of the first parameter.</summary>
    public static (string[] Words, int First) Of(string text, string qdisc)
    {
        var words = text.Split((char[])[' ', '\t', '\n', '\r', '\\'], StringSplitOptions.RemoveEmptyEntries);
        return (words, Array.IndexOf(words, qdisc) + 1);
    }
}
