namespace TsnSim.Hosting.Traffic;

/// <summary>A traffic request that cannot be carried out as asked: <see cref="Field"/> names the request field at fault.</summary>
public sealed class InvalidTrafficRequestException(string field, string problem) : Exception($"{field}: {problem}")
{
    public string Field { get; } = field;
}
