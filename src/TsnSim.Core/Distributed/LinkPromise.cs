namespace TsnSim.Core.Distributed;

/// <summary>
/// What a partition promises about one link direction it sends on: no frame before
/// <see cref="UntilPs"/>; no frame that makes the receiver answer back on the same link (a gPTP
/// peer-delay request) before <see cref="ReflectUntilPs"/>; and no frame from a source address
/// the link has not carried yet before <see cref="NoveltyUntilPs"/>, which lets a bridge know
/// its learning cannot change (see <see cref="BridgeLanes"/>). Both are never below UntilPs.
/// </summary>
public readonly record struct LinkPromise(int Link, long UntilPs, long ReflectUntilPs, long NoveltyUntilPs);
