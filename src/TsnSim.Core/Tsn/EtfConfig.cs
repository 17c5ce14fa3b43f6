namespace TsnSim.Core.Tsn;

/// <summary>
/// tc-etf on one traffic class: <see cref="DeltaNs"/>, how long before a frame's launch time
/// the qdisc hands it on; <see cref="Offload"/>, the NIC launches it at its time (the hand-over
/// time then does not show on the wire); <see cref="DeadlineMode"/>, the launch time is a
/// deadline: a frame goes as soon as it can, and one past its deadline is dropped.
/// </summary>
public sealed record EtfConfig(long DeltaNs, bool Offload, bool DeadlineMode);
