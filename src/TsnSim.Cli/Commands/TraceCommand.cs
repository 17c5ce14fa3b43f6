using System.CommandLine;
using TsnSim.Hosting;
using TsnSim.Hosting.Tracing;

namespace TsnSim.Cli.Commands;

/// <summary><c>tsnsim trace DIR</c>: one traced frame's timeline, by frame id or by stream and sequence.</summary>
public static class TraceCommand
{
    public static Command Create()
    {
        var directory = new Argument<string>("DIR") { Description = "A directory written by --trace-dir (or one of its .jsonl files)" };
        var frame = new Option<long?>("--frame") { Description = "The frame's id (tsnsim.frame.id, the frame log's frame_id)" };
        var stream = new Option<string?>("--stream") { Description = "The stream's name (TALKER/NAME for a live stream)" };
        var sequence = new Option<long?>("--seq") { Description = "The frame's sequence number within --stream" };
        var command = new Command("trace", "Print one traced frame's timeline: each hop, each timestamp, each wait") { directory, frame, stream, sequence };
        command.SetAction(parse =>
        {
            var frameId = parse.GetValue(frame);
            var streamName = parse.GetValue(stream);
            var seq = parse.GetValue(sequence);
            if (frameId is null == streamName is null)
                throw new UserInputException("tsnsim trace: give either --frame ID or --stream NAME --seq N");
            if (streamName is not null && seq is null)
                throw new UserInputException("tsnsim trace: --stream needs --seq N, the frame's sequence number in the stream");
            var spans = TraceFileReader.ReadAll(parse.GetValue(directory)!);
            var timeline = frameId is { } id ? FrameTimeline.ForFrame(spans, id) : FrameTimeline.ForStream(spans, streamName!, seq!.Value);
            Console.Out.Write(timeline.Format());
            return ExitCodes.Success;
        });
        return command;
    }
}
