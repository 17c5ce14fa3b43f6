namespace TsnSim.Tests.Support;

/// <summary>A test of the Python example: skipped, saying what to install, only where Python gRPC is missing.</summary>
public sealed class PythonGrpcFactAttribute : FactAttribute
{
    public PythonGrpcFactAttribute()
    {
        if (PythonGrpc.Python is null) Skip = PythonGrpc.Missing;
    }
}
