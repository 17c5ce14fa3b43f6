namespace TsnSim.Hosting;

public static class ExitCodes
{
    public const int Success = 0;
    /// <summary>The run went wrong (an internal error); the message says what.</summary>
    public const int Failure = 1;
    /// <summary>The input was wrong: a topology, an option value, a missing file.</summary>
    public const int InvalidInput = 2;
    /// <summary>Refused for now, not for what was asked: the server is unreachable, not ready or busy. The same command may succeed later.</summary>
    public const int TryAgain = 3;
}
