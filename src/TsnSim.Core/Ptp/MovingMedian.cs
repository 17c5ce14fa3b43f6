namespace TsnSim.Core.Ptp;

/// <summary>The median of the last <c>length</c> values (linuxptp's moving_median delay filter): one outlier of a queued exchange moves it little.</summary>
public sealed class MovingMedian(int length)
{
    private readonly Queue<double> _values = new();

    /// <summary>Adds a value and returns the median of the window.</summary>
    public double Add(double value)
    {
        _values.Enqueue(value);
        if (_values.Count > length) _values.Dequeue();
        var sorted = _values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public void Clear() => _values.Clear();
}
