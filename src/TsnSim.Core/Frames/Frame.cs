using TsnSim.Core.Time;
using TsnSim.Core.Tracing;

namespace TsnSim.Core.Frames;

/// <summary>
/// A frame in flight: its real bytes (destination MAC through payload and padding, without the
/// FCS, as a capture shows them) in a pooled buffer, and the bookkeeping the frame log needs.
/// Owned by exactly one place at a time (a queue, a link, an event); whoever consumes it returns
/// it to its <see cref="FramePool"/>.
/// </summary>
public sealed class Frame
{
    internal Frame(int capacity) => Buffer = new byte[capacity];

    public byte[] Buffer { get; }

    /// <summary>Bytes in <see cref="Buffer"/>: the frame without its FCS.</summary>
    public int Length { get; set; }

    /// <summary>Bytes the frame occupies on the wire apart from preamble and IFG: <see cref="Length"/> plus the FCS.</summary>
    public int LengthWithFcs => Length + Ethernet.FcsBytes;

    public Span<byte> Bytes => Buffer.AsSpan(0, Length);

    /// <summary>Unique across the run: the talker node's index in the high bits, its own counter below.</summary>
    public long Id { get; set; }

    /// <summary>Global index of the stream the frame belongs to, or -1.</summary>
    public int StreamIndex { get; set; } = -1;

    public long Sequence { get; set; }

    /// <summary>When the talker handed the frame to its NIC; latency is measured from here.</summary>
    public SimTime CreatedAt { get; set; }

    /// <summary>The sender wants the egress timestamp of this frame (PTP event messages): the port reports it at transmission.</summary>
    public bool WantsTxTimestamp { get; set; }

    /// <summary>The sender's priority for an untagged frame (as a socket's SO_PRIORITY); a tagged frame's is its PCP. Not carried over the wire.</summary>
    public byte Priority { get; set; }

    /// <summary>The application set <see cref="Priority"/> (0–15, SO_PRIORITY): it picks the frame's traffic class on the sender's port even when the frame is tagged.</summary>
    public bool HasSocketPriority { get; set; }

    /// <summary>When the frame is to start on the wire, on the sending node's clock (SO_TXTIME); −1 ps: as soon as it can.</summary>
    public SimTime LaunchTime { get; set; } = NoLaunchTime;

    /// <summary>With a launch time: a frame past it goes at once instead of being dropped.</summary>
    public bool LaunchDeadlineMode { get; set; }

    public static readonly SimTime NoLaunchTime = new(-1);

    /// <summary>The sending node's clock when the application handed over a frame that wants its Tx timestamp.</summary>
    public SimTime HandedOverAt { get; set; }

    /// <summary>The ingress hardware timestamp (node clock) of a received PTP frame.</summary>
    public SimTime RxTimestamp { get; set; }

    /// <summary>The frame's trace while it is traced; null for almost every frame.</summary>
    public FrameTrace? Trace { get; set; }

    /// <summary>
    /// On the hop now under way: how long, on the sending node's clock, the frame's gate was
    /// closed while it waited at the head of its traffic class (802.1Qbv). The frame log records
    /// it with the hop; the receiving port clears it.
    /// </summary>
    public SimTime GateWait { get; set; }

    /// <summary>A received packet's Rx completion, set by a multi-queue NIC on the way to the host stack.</summary>
    public Nic.RxCompletion RxCompletion { get; set; }

    /// <summary>The Tx queue the frame waits in on its egress port; −1 until the port (or the host stack, on a NIC) picks one.</summary>
    public int TxQueue { get; set; } = -1;

    internal void Reset()
    {
        RxCompletion = default;
        TxQueue = -1;
        Trace = null;
        WantsTxTimestamp = false;
        RxTimestamp = SimTime.Zero;
        HandedOverAt = SimTime.Zero;
        LaunchTime = NoLaunchTime;
        LaunchDeadlineMode = false;
        Priority = 0;
        HasSocketPriority = false;
        GateWait = SimTime.Zero;
        Length = 0;
        Id = 0;
        StreamIndex = -1;
        Sequence = 0;
        CreatedAt = SimTime.Zero;
    }

    /// <summary>Copies bytes and bookkeeping into <paramref name="target"/> (for flooding: each egress port owns its copy).</summary>
    public void CopyTo(Frame target)
    {
        Bytes.CopyTo(target.Buffer);
        target.Length = Length;
        target.Id = Id;
        target.StreamIndex = StreamIndex;
        target.Sequence = Sequence;
        target.CreatedAt = CreatedAt;
        target.WantsTxTimestamp = WantsTxTimestamp;
        target.RxTimestamp = RxTimestamp;
        target.Trace = Trace?.Fork();
    }
}
