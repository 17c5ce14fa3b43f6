namespace TsnSim.Tests.Support;

/// <summary>A test judged by tshark: skipped, saying what to install, only where tshark is missing.</summary>
public sealed class TsharkFactAttribute : FactAttribute
{
    public TsharkFactAttribute()
    {
        if (Tshark.Path is null) Skip = Tshark.Missing;
    }
}
