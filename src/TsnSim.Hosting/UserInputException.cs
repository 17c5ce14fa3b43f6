namespace TsnSim.Hosting;

/// <summary>Bad input from the user: printed as is, without a stack trace, with exit code 2.</summary>
public sealed class UserInputException(string message) : Exception(message);
