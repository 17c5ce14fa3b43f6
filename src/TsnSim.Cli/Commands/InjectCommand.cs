using System.CommandLine;
using System.Globalization;
using Google.Protobuf;
using TsnSim.Cli.Traffic;
using TsnSim.Core.Frames;
using TsnSim.Core.Time;
using TsnSim.Hosting;
using TsnSim.Protos.Traffic;

namespace TsnSim.Cli.Commands;

/// <summary>
/// <c>tsnsim inject</c>: live traffic for a running simulation through its TrafficService
/// (protos/traffic.proto), usually the coordinator's. Each reply is printed as <c>key=value</c>
/// lines, one fact a line, so scripts can read them.
/// </summary>
public static class InjectCommand
{
    private const string FramesName = "tsnsim inject frames", StartName = "tsnsim inject stream start", StopName = "tsnsim inject stream stop",
        GatesName = "tsnsim inject gate-schedule",
        RssName = "tsnsim inject rss", RxRulesName = "tsnsim inject rx-rules",
        ApplicationName = "tsnsim inject application",
        PowerName = "tsnsim inject power";

    public static Command Create()
    {
        var address = new Option<string?>("--address")
        {
            Description = $"The coordinator (or a node process) to send to; default ${TrafficCall.AddressVariable}, else {TrafficCall.DefaultAddress}. tsnsim up prints its own",
            Recursive = true,
        };
        var stream = new Command("stream", "Start or stop a periodic stream on a host") { StreamStart(address), StreamStop(address) };
        return new Command("inject", "Send live traffic into a running simulation (tsnsim up, compose), list its streams, change its gate schedules")
        {
            address, Frames(address), stream, Streams(address), GateSchedule(address), Rss(address), RxRules(address), Application(address), Power(address),
        };
    }

    private static Command Frames(Option<string?> address)
    {
        var node = NodeArgument("The host that sends the frames");
        var (to, toMac) = DestinationOptions();
        var (vlan, pcp) = TagOptions();
        var app = new Option<string?>("--app") { Description = "Name of the sending application (frame log, traces, report)" };
        var size = Whole<int>("--size", $"Frame size on the wire without preamble, FCS included ({Ethernet.MinFrameBytes}..{Ethernet.MaxFrameBytes}); default the smallest frame");
        var payloadHex = new Option<string?>("--payload-hex") { Description = "Payload after the 32-byte stream header, as hex bytes" };
        var rawHex = new Option<string?>("--raw-hex") { Description = "A whole frame from destination MAC to the end of the payload, without FCS, as hex bytes" };
        var count = Whole<int>("--count", "Frames sent back to back; default 1");
        var port = PortOption();
        var (at, after) = WhenOptions();
        var command = new Command("frames", "Hand frames to a host's NIC at one virtual time: a described frame (--to, --size) or raw bytes (--raw-hex)")
        {
            node, to, toMac, vlan, pcp, app, size, payloadHex, rawHex, count, port, at, after,
        };
        command.SetAction(async (parse, cancel) =>
        {
            var request = new InjectFramesRequest { Node = Required(parse, node, FramesName, "h1 --to h2"), When = When(parse, at, after) };
            FrameSpec spec;
            if (parse.GetValue(rawHex) is { } raw)
            {
                var described = new Option[] { to, toMac, vlan, pcp, app, size, payloadHex }.Where(o => parse.GetResult(o) is not null).Select(o => o.Name).ToList();
                if (described.Count > 0)
                    throw new UserInputException($"--raw-hex: a raw frame carries its own header and payload; leave out {string.Join(", ", described)}");
                spec = new FrameSpec { Raw = ByteString.CopyFrom(OptionValues.Hex(raw, "--raw-hex")) };
            }
            else
            {
                var frame = new DescribedFrame { Pcp = parse.GetValue(pcp) ?? 0, Application = parse.GetValue(app) ?? "" };
                if (parse.GetValue(vlan) is { } v) frame.Vlan = v;
                switch (Destination(parse, to, toMac))
                {
                    case (string name, null): frame.DestinationNode = name; break;
                    case (null, string mac): frame.DestinationMac = mac; break;
                }
                if (parse.GetValue(size) is not null && parse.GetValue(payloadHex) is not null)
                    throw new UserInputException("--size: give either --size or --payload-hex, not both");
                if (parse.GetValue(size) is { } frameBytes) frame.PayloadSize = PayloadFor(frameBytes, tagged: frame.HasVlan || frame.Pcp != 0);
                if (parse.GetValue(payloadHex) is { } hex) frame.PayloadBytes = ByteString.CopyFrom(OptionValues.Hex(hex, "--payload-hex"));
                spec = new FrameSpec { Described = frame };
            }
            spec.Port = parse.GetValue(port) ?? "";
            for (int i = OptionValues.Positive(parse.GetValue(count) ?? 1, "--count"); i > 0; i--) request.Frames.Add(spec);
            return await TrafficCall.RunAsync(FramesName, TrafficCall.Address(parse.GetValue(address)), async (client, options) =>
            {
                var reply = await client.InjectFramesAsync(request, options);
                WriteEffective(reply.EffectivePs);
                foreach (var id in reply.FrameIds) WriteLine("frame_id", id);
            }, cancel);
        });
        return command;
    }

    private static Command StreamStart(Option<string?> address)
    {
        var node = NodeArgument("The host that talks the stream");
        var name = new Option<string?>("--name") { Description = "Stream name, unique in the run; default <node>-inj-<n>" };
        var period = new Option<string>("--period") { Description = "Time between frames, e.g. 100us", Required = true };
        var size = Whole<uint>("--size", $"Frame size on the wire without preamble, FCS included ({Ethernet.MinFrameBytes}..{Ethernet.MaxFrameBytes}); default {Ethernet.MinFrameBytes}");
        var (to, toMac) = DestinationOptions();
        var (vlan, pcp) = TagOptions();
        var count = Whole<long>("--count", "Frames to send; 0 (default) until the run ends or the stream is stopped");
        var port = PortOption();
        var (at, after) = WhenOptions();
        var command = new Command("start", "Start a periodic stream on a host")
        {
            node, name, period, size, to, toMac, vlan, pcp, count, port, at, after,
        };
        command.SetAction(async (parse, cancel) =>
        {
            var request = new StartStreamRequest
            {
                Node = Required(parse, node, StartName, "h1 --to h2 --period 100us"),
                Name = parse.GetValue(name) ?? "",
                When = When(parse, at, after),
                PeriodPs = OptionValues.Duration(parse.GetValue(period), "--period")!.Value.Picoseconds,
                Size = parse.GetValue(size) ?? Ethernet.MinFrameBytes,
                Pcp = parse.GetValue(pcp) ?? 0,
                Count = parse.GetValue(count) ?? 0,
                Port = parse.GetValue(port) ?? "",
            };
            if (parse.GetValue(vlan) is { } v) request.Vlan = v;
            switch (Destination(parse, to, toMac))
            {
                case (string host, null): request.DestinationNode = host; break;
                case (null, string mac): request.DestinationMac = mac; break;
            }
            return await TrafficCall.RunAsync(StartName, TrafficCall.Address(parse.GetValue(address)), async (client, options) =>
            {
                var reply = await client.StartStreamAsync(request, options);
                WriteEffective(reply.EffectivePs);
                WriteLine("name", reply.Name);
                WriteLine("stream", reply.Stream);
            }, cancel);
        });
        return command;
    }

    private static Command StreamStop(Option<string?> address)
    {
        var node = NodeArgument("The host that talks the stream");
        var name = new Option<string>("--name") { Description = "The stream to stop", Required = true };
        var (at, after) = WhenOptions();
        var command = new Command("stop", "Stop a stream (started here or by the topology)") { node, name, at, after };
        command.SetAction(async (parse, cancel) =>
        {
            var request = new StopStreamRequest { Node = Required(parse, node, StopName, "h1 --name h1-inj-0"), Name = parse.GetValue(name)!, When = When(parse, at, after) };
            return await TrafficCall.RunAsync(StopName, TrafficCall.Address(parse.GetValue(address)), async (client, options) =>
            {
                var reply = await client.StopStreamAsync(request, options);
                WriteEffective(reply.EffectivePs);
                WriteLine("sent", reply.Sent);
            }, cancel);
        });
        return command;
    }

    private static Command GateSchedule(Option<string?> address)
    {
        var node = NodeArgument("The host or bridge whose port gets the schedule");
        var entries = new Argument<string[]>("ENTRY") { Description = "Gate entries in tc-taprio's words, each quoted: \"S 01 300000\" (command, hex gate mask, interval in ns)", Arity = ArgumentArity.ZeroOrMore };
        var baseTime = Whole<long>("--base-time", "When the first cycle starts, in ns of the node's clock; one already past starts at the next of its cycle boundaries. Default 0");
        var cycleTime = Whole<long>("--cycle-time", "Cycle length in ns; default the sum of the intervals");
        var extension = Whole<long>("--cycle-time-extension", "How far this schedule's last cycle may stretch to meet the next one, in ns; default 0");
        var port = new Option<string?>("--port") { Description = "The port, e.g. eth1; default the node's first" };
        var (at, after) = WhenOptions();
        var command = new Command("gate-schedule", "Install a new 802.1Qbv gate schedule on a port with traffic classes; it takes over at its base time (taprio's admin schedule)")
        {
            node, entries, baseTime, cycleTime, extension, port, at, after,
        };
        command.SetAction(async (parse, cancel) =>
        {
            var schedule = new Protos.Traffic.GateSchedule
            {
                BaseTimeNs = parse.GetValue(baseTime) ?? 0, CycleTimeNs = parse.GetValue(cycleTime) ?? 0, CycleTimeExtensionNs = parse.GetValue(extension) ?? 0,
            };
            schedule.Entries.AddRange(parse.GetValue(entries) ?? []);
            var request = new SetGateScheduleRequest
            {
                Node = Required(parse, node, GatesName, "b2 --port eth1 \"S 01 15000\" \"S 02 5000\" \"S 01 480000\""),
                Port = parse.GetValue(port) ?? "", Schedule = schedule, When = When(parse, at, after),
            };
            return await TrafficCall.RunAsync(GatesName, TrafficCall.Address(parse.GetValue(address)), async (client, options) =>
                WriteEffective((await client.SetGateScheduleAsync(request, options)).EffectivePs), cancel);
        });
        return command;
    }

    private static Command Rss(Option<string?> address)
    {
        var node = NodeArgument("The host whose port's NIC gets the new key or table");
        var key = new Option<string?>("--key") { Description = "A new 40-byte Toeplitz key in hex (80 digits; colons allowed); default: keep the current one" };
        var table = new Option<string?>("--table") { Description = "A new indirection table: Rx queue numbers, comma-separated, a power of two of them (0,1,2,3); default: keep the current one" };
        var port = new Option<string?>("--port") { Description = "The port, e.g. eth0; default the host's first" };
        var (at, after) = WhenOptions();
        var command = new Command("rss", "Give a host NIC's RSS a new key, indirection table or both, while traffic runs") { node, key, table, port, at, after };
        command.SetAction(async (parse, cancel) =>
        {
            var request = new SetRssRequest { Node = Required(parse, node, RssName, "server --table 0,1"), Port = parse.GetValue(port) ?? "", When = When(parse, at, after) };
            if (parse.GetValue(key) is { } hex)
                request.Key = Google.Protobuf.ByteString.CopyFrom(Core.Nic.RssKeyText.TryParse(hex, out var bytes, out var error) ? bytes : throw new UserInputException($"--key: {error}"));
            if (parse.GetValue(table) is { } entries)
                foreach (var entry in entries.Split(','))
                    request.IndirectionTable.Add(uint.TryParse(entry.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var queue)
                        ? queue : throw new UserInputException($"--table: '{entry}' is not a queue number; expected queue numbers separated by commas, such as 0,1,2,3"));
            return await TrafficCall.RunAsync(RssName, TrafficCall.Address(parse.GetValue(address)), async (client, options) =>
                WriteEffective((await client.SetRssAsync(request, options)).EffectivePs), cancel);
        });
        return command;
    }

    private static Command RxRules(Option<string?> address)
    {
        var node = NodeArgument("The host whose port's NIC gets the new rules");
        var rules = new Option<string[]>("--rule")
        {
            Description = "A steering rule as the topology writes one, field=value joined by commas: proto=tcp,dst_port=1766,queue=3 (fields name, ethertype, vlan, pcp, proto, src, dst, src_port, dst_port, queue). Once per rule, in the order they are tried",
            AllowMultipleArgumentsPerToken = false,
        };
        var clear = new Option<bool>("--clear") { Description = "Remove every rule (instead of --rule)" };
        var port = new Option<string?>("--port") { Description = "The port, e.g. eth0; default the host's first" };
        var (at, after) = WhenOptions();
        var command = new Command("rx-rules", "Give a host NIC a new list of Rx steering rules (ethtool ntuple filters), tried ahead of RSS, in place of the one it has")
        {
            node, rules, clear, port, at, after,
        };
        command.SetAction(async (parse, cancel) =>
        {
            var request = new SetRxRulesRequest { Node = Required(parse, node, RxRulesName, "server --rule proto=udp,dst_port=319,queue=3"), Port = parse.GetValue(port) ?? "", When = When(parse, at, after) };
            var texts = parse.GetValue(rules) ?? [];
            bool clearing = parse.GetValue(clear);
            if (texts.Length == 0 && !clearing)
                throw new UserInputException("--rule: missing; expected one --rule per rule, such as --rule proto=udp,dst_port=319,queue=3, or --clear to remove them all");
            if (texts.Length > 0 && clearing) throw new UserInputException("--clear: removes every rule; give either --clear or --rule, not both");
            var fields = texts.Select(text => (IReadOnlyList<KeyValuePair<string, string>>)[.. text.Split(',').Select(field => field.Split('=', 2) is [var name, var value]
                ? new KeyValuePair<string, string>(name.Trim(), value.Trim())
                : throw new UserInputException($"--rule: '{field}' in '{text}' is not field=value; expected fields joined by commas, such as proto=udp,dst_port=319,queue=3"))]).ToList();
            var read = Core.Topology.FlowRuleReader.Read(fields, Core.Nic.NicConfig.MaximumQueues, "--rule", out var problem);
            if (problem is not null) throw new UserInputException($"{problem.Field}: {problem.Message}");
            request.Rules.AddRange(read.Select(Hosting.Traffic.RxRuleFields.From));
            return await TrafficCall.RunAsync(RxRulesName, TrafficCall.Address(parse.GetValue(address)), async (client, options) =>
                WriteEffective((await client.SetRxRulesAsync(request, options)).EffectivePs), cancel);
        });
        return command;
    }

    private static Command Application(Option<string?> address)
    {
        var node = NodeArgument("The host the application runs on");
        var application = new Argument<string>("APPLICATION") { Description = "The application: a stream's application name (default its name)" };
        var priority = new Option<uint>("--priority") { Description = "Socket priority 0 to 15 (picks the traffic class through the port's map)", Required = true };
        var rate = new Option<string?>("--rate") { Description = "Rate limit, such as 200Mbps; default none" };
        var (at, after) = WhenOptions();
        var command = new Command("application", "Give an application a new socket priority and rate limit") { node, application, priority, rate, at, after };
        command.SetAction(async (parse, cancel) =>
        {
            ulong bps = 0;
            if (parse.GetValue(rate) is { } text)
                bps = DataRate.TryParse(text, out var parsed, out var error) ? (ulong)parsed.BitsPerSecond : throw new UserInputException($"--rate: {error}");
            var request = new SetApplicationPriorityRequest
            {
                Node = Required(parse, node, ApplicationName, "h1 video --priority 5 --rate 200Mbps"), Application = parse.GetValue(application)!,
                Priority = parse.GetValue(priority), RateBps = bps, When = When(parse, at, after),
            };
            return await TrafficCall.RunAsync(ApplicationName, TrafficCall.Address(parse.GetValue(address)), async (client, options) =>
                WriteEffective((await client.SetApplicationPriorityAsync(request, options)).EffectivePs), cancel);
        });
        return command;
    }

    private static Command Power(Option<string?> address)
    {
        var node = NodeArgument("The host to put to sleep or wake");
        var state = new Argument<string>("STATE") { Description = "d3 (asleep: its NIC answers ARP and NS and wakes it on a pattern) or d0 (working)" };
        var (at, after) = WhenOptions();
        var command = new Command("power", "Put a host with a NIC to sleep or wake it") { node, state, at, after };
        command.SetAction(async (parse, cancel) =>
        {
            var request = new SetPowerStateRequest { Node = Required(parse, node, PowerName, "server d3"), State = parse.GetValue(state)!, When = When(parse, at, after) };
            return await TrafficCall.RunAsync(PowerName, TrafficCall.Address(parse.GetValue(address)), async (client, options) =>
                WriteEffective((await client.SetPowerStateAsync(request, options)).EffectivePs), cancel);
        });
        return command;
    }

    private static Command Streams(Option<string?> address)
    {
        var node = new Argument<string?>("NODE") { Description = "Only this host's streams (default: every node's)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("streams", "List the streams of the run (or of one host): one line per stream") { node };
        command.SetAction(async (parse, cancel) =>
        {
            var request = new ListStreamsRequest { Node = parse.GetValue(node) ?? "" };
            return await TrafficCall.RunAsync("tsnsim inject streams", TrafficCall.Address(parse.GetValue(address)), async (client, options) =>
            {
                var reply = await client.ListStreamsAsync(request, options);
                WriteEffective(reply.EffectivePs);
                foreach (var s in reply.Streams)
                    Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"stream={s.Stream} name={s.Name} talker={s.Talker} listeners={string.Join(',', s.Listeners)} period={new SimTime(s.PeriodPs)} size={s.Size} pcp={s.Pcp} sent={s.Sent} origin={s.Origin} running={(s.Running ? "yes" : "no")}"));
            }, cancel);
        });
        return command;
    }

    private static Argument<string?> NodeArgument(string description) =>
        new("NODE") { Description = description, Arity = ArgumentArity.ZeroOrOne };

    /// <summary>The node argument, or a message that shows how to give it (the parser's own would only say an argument is missing).</summary>
    private static string Required(ParseResult parse, Argument<string?> node, string command, string example) =>
        parse.GetValue(node) is { Length: > 0 } name
            ? name
            : throw new UserInputException($"{command}: NODE is missing; expected the name of the host first, for example: {command} {example}");

    private static (Option<string?> To, Option<string?> ToMac) DestinationOptions() =>
        (new Option<string?>("--to") { Description = "Destination host: the frames go to its MAC" },
         new Option<string?>("--to-mac") { Description = "Destination MAC, e.g. 02:00:00:00:00:01 (or a group address)" });

    /// <summary>The destination host or MAC (at most one); both null when neither is given.</summary>
    private static (string? Node, string? Mac) Destination(ParseResult parse, Option<string?> to, Option<string?> toMac) =>
        (parse.GetValue(to), parse.GetValue(toMac)) switch
        {
            ({ } _, { } _) => throw new UserInputException("--to: give either --to NODE or --to-mac MAC, not both"),
            (null, { } mac) => (null, OptionValues.Mac(mac, "--to-mac").ToString()),
            var (node, _) => (node, null),
        };

    private static (Option<uint?> Vlan, Option<uint?> Pcp) TagOptions() =>
        (Whole<uint>("--vlan", "VLAN ID 0..4094: the frames carry an 802.1Q tag"), Whole<uint>("--pcp", "Priority code point 0..7 (tagged when above 0)"));

    /// <summary>An option taking a whole number of zero or more, refused in the option's own words otherwise; the server checks the range.</summary>
    private static Option<T?> Whole<T>(string name, string description) where T : struct, System.Numerics.INumber<T> => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (T.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)) return value;
            result.AddError($"{name}: '{text}' is not a whole number of zero or more");
            return null;
        },
    };

    private static Option<string?> PortOption() => new("--port") { Description = "Egress port of the host, e.g. eth1; default its first" };

    private static (Option<string?> At, Option<string?> After) WhenOptions() =>
        (new Option<string?>("--at") { Description = "Absolute virtual time, e.g. 5ms; refused when the node has simulated past it" },
         new Option<string?>("--after") { Description = "Delay after the node's present virtual time, e.g. 100us" });

    /// <summary>--at, --after, or neither (as soon as possible); never both.</summary>
    private static When When(ParseResult parse, Option<string?> at, Option<string?> after) =>
        (parse.GetValue(at), parse.GetValue(after)) switch
        {
            ({ } _, { } _) => throw new UserInputException("--at: give either --at TIME or --after TIME, not both"),
            ({ } time, null) => new When { AtPs = OptionValues.Instant(time, "--at").Picoseconds },
            (null, { } delay) => new When { AfterPs = OptionValues.Instant(delay, "--after").Picoseconds },
            _ => new When { Asap = true },
        };

    /// <summary>
    /// The described frame's payload (after the Ethernet header, the tag and the 32-byte stream
    /// header) that makes a frame of <paramref name="frameBytes"/> on the wire, FCS included, as
    /// a topology's stream <c>size</c> counts.
    /// </summary>
    private static uint PayloadFor(int frameBytes, bool tagged)
    {
        if (frameBytes is < Ethernet.MinFrameBytes or > Ethernet.MaxFrameBytes)
            throw new UserInputException($"--size: {frameBytes} is out of range; expected a frame size from {Ethernet.MinFrameBytes} to {Ethernet.MaxFrameBytes} bytes, FCS included");
        int headers = Ethernet.HeaderBytes + (tagged ? Ethernet.VlanTagBytes : 0) + StreamPayload.Length + Ethernet.FcsBytes;
        return (uint)(frameBytes - headers);
    }

    private static void WriteEffective(long picoseconds)
    {
        WriteLine("effective", new SimTime(picoseconds));
        WriteLine("effective_ps", picoseconds);
    }

    private static void WriteLine<T>(string key, T value) => Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{key}={value}"));
}
