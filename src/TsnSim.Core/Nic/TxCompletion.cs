namespace TsnSim.Core.Nic;

/// <summary>
/// What a Tx completion carries: its queue, the packet's bytes (with FCS), and for an
/// application's packet that asked for it, its stream, hand-over time and Tx timestamp (−1: none).
/// </summary>
internal readonly record struct TxCompletion(int Queue, int Bytes, int Stream, long HandedOverPs, long TimestampPs);
