namespace TsnSim.Core.Nic;

/// <summary>
/// A port's RSS configuration (NDIS_RECEIVE_SCALE_PARAMETERS): on or off, the hash types, the
/// 40-byte key, the indirection table, and the queue that takes what is not hashed.
/// </summary>
public sealed record RssSettings(bool Enabled, RssHashType HashTypes, byte[] Key, IReadOnlyList<int> Table, int UnhashedQueue)
{
    /// <summary>On for every hash type, the verification key, the default 128-entry table over <paramref name="queues"/>, queue 0 for the rest.</summary>
    public static RssSettings Default(int queues) =>
        new(true, RssHashType.All, ToeplitzHash.VerificationKey.ToArray(), RssIndirectionTable.Spread(RssIndirectionTable.DefaultSize, queues).Entries, 0);
}
