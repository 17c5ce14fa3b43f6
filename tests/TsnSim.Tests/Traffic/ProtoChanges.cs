namespace TsnSim.Tests.Traffic;

/// <summary>Builds a request and changes one field of it in a single expression, for tables of bad requests.</summary>
internal static class ProtoChanges
{
    public static T Also<T>(this T value, Action<T> change)
    {
        change(value);
        return value;
    }
}
