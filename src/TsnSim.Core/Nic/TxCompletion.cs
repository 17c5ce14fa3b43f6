namespace TsnSim.Core.Nic;

/// <summary>
/// What a Tx completion carries: its queue, the packet's bytes (with FCS), its stream and
/// hand-over time, its Tx timestamp (every packet sent has one; −1 for a packet the port dropped
/// after submission), and whether its application asked for the timestamp, which the host stack
/// then hands it.
/// </summary>
internal readonly record struct TxCompletion(int Queue, int Bytes, int Stream, long HandedOverPs, long TimestampPs, bool ForApplication);
