using Google.Protobuf;
using TsnSim.Core.Frames;
using TsnSim.Core.Links;
using TsnSim.Core.Nodes;
using TsnSim.Core.Simulation;
using TsnSim.Core.Time;
using TsnSim.Core.Topology;
using TsnSim.Core.Traffic;
using TsnSim.Protos.Traffic;

namespace TsnSim.Hosting.Traffic;

/// <summary>
/// Turns TrafficService requests into injections on the hosts of one partition: checks every
/// field (a refusal names it and changes nothing), fixes the virtual time the request takes
/// effect at, accepts it on the host, and records it — the recorded form is the request with
/// its time made absolute, which <see cref="Replay"/> accepts again in a later run.
/// </summary>
public sealed class LiveTrafficHandler
{
    public const int MaxFramesPerRequest = 1024;

    /// <summary>Steering rules one SetRxRules call may give a port.</summary>
    public const int MaxRulesPerRequest = 256;

    /// <summary>Injected frames accepted but not yet sent, per host: beyond this a client gets RESOURCE_EXHAUSTED.</summary>
    public const int MaxPendingFrames = 65_536;

    private readonly TopologyConfig _topology;
    private readonly Partition _partition;
    private readonly Dictionary<string, Host> _hosts;
    private readonly Dictionary<string, Node> _nodes;
    private readonly List<RecordedInjection> _recorded = [];

    public LiveTrafficHandler(TopologyConfig topology, Partition partition)
    {
        _topology = topology;
        _partition = partition;
        _hosts = partition.Nodes.OfType<Host>().ToDictionary(h => h.Name, StringComparer.Ordinal);
        _nodes = partition.Nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
    }

    /// <summary>Injections accepted since the last call, in acceptance order.</summary>
    public List<RecordedInjection> DrainRecorded()
    {
        var drained = new List<RecordedInjection>(_recorded);
        _recorded.Clear();
        return drained;
    }

    /// <param name="nowPs">The earliest virtual time the partition has not simulated yet.</param>
    /// <param name="end">The run's end: nothing takes effect at or after it.</param>
    public InjectFramesReply InjectFrames(InjectFramesRequest request, long nowPs, SimTime end)
    {
        var host = HostOf(request.Node);
        if (request.Frames.Count == 0) throw new InvalidTrafficRequestException("frames", "is empty; expected at least one frame");
        if (request.Frames.Count > MaxFramesPerRequest)
            throw new InvalidTrafficRequestException("frames", $"holds {request.Frames.Count} frames; at most {MaxFramesPerRequest} per call");
        var at = EffectiveTime(request.When, nowPs, end, "when");
        var frames = new List<InjectedFrame>(request.Frames.Count);
        var streams = new List<(string Application, byte Pcp, string? Listener)>();
        for (int i = 0; i < request.Frames.Count; i++)
            frames.Add(Resolve(request.Frames[i], host, $"frames[{i}]", streams));
        ReservePending(host, frames.Count);
        // Only now, with every field checked, does the host learn of the request.
        for (int i = 0; i < frames.Count; i++)
            if (streams[i].Application.Length > 0)
                frames[i] = frames[i] with { StreamIndex = host.Live.StreamForApplication(streams[i].Application, streams[i].Pcp, streams[i].Listener).Index };
        var ids = host.Live.Accept(new FrameInjection(at, frames));
        Record(host.Name, at, r => r.InjectFrames = request);
        var reply = new InjectFramesReply { EffectivePs = at.Picoseconds };
        reply.FrameIds.AddRange(ids);
        return reply;
    }

    public StartStreamReply StartStream(StartStreamRequest request, long nowPs, SimTime end)
    {
        var host = HostOf(request.Node);
        var name = request.Name.Length > 0 ? request.Name : $"{host.Name}-inj-{host.Live.Streams.Count}";
        CheckNewStreamName(host, name);
        if (request.PeriodPs < SimTime.PicosecondsPerNanosecond)
            throw new InvalidTrafficRequestException("period_ps", $"is {request.PeriodPs}; expected at least 1000 (1 ns)");
        int minimum = Ethernet.MinFrameBytes;
        if (request.Size < minimum || request.Size > Ethernet.MaxFrameBytes)
            throw new InvalidTrafficRequestException("size", $"is {request.Size}; expected {minimum} to {Ethernet.MaxFrameBytes} bytes (FCS included)");
        if (request.Count < 0) throw new InvalidTrafficRequestException("count", $"is {request.Count}; expected 0 (unbounded) or more");
        var (destination, listener) = Destination(request.DestinationCase switch
        {
            StartStreamRequest.DestinationOneofCase.DestinationNode => (request.DestinationNode, null),
            StartStreamRequest.DestinationOneofCase.DestinationMac => (null, request.DestinationMac),
            _ => (null, null),
        }, "destination_node");
        Tag(request.HasVlan ? request.Vlan : null, request.Pcp, "");
        int port = PortOf(host, request.Port, "port");
        var at = EffectiveTime(request.When, nowPs, end, "when");

        var stream = host.Live.NewPeriodicStream(name, listener, (byte)request.Pcp, new SimTime(request.PeriodPs), (int)request.Size);
        var config = new StreamConfig(name, host.Name, listener is null ? [] : [listener], stream.Period!.Value, (int)request.Size)
        {
            Destination = destination,
            Vlan = request.HasVlan ? (ushort)request.Vlan : null,
            Pcp = (byte)request.Pcp,
            Count = request.Count > 0 ? request.Count : null,
        };
        host.Live.Accept(new StreamStartInjection(at, new StreamPlan(stream.Index, config, destination), port));
        var recorded = request.Clone();
        recorded.Name = name;
        Record(host.Name, at, r => r.StartStream = recorded);
        return new StartStreamReply { EffectivePs = at.Picoseconds, Name = name, Stream = stream.Index };
    }

    public StopStreamReply StopStream(StopStreamRequest request, long nowPs, SimTime end)
    {
        var host = HostOf(request.Node);
        int index = host.Live.Find(request.Name) is { Period: not null } live ? live.Index
            : host.Talkers.FirstOrDefault(t => t.Plan.Config.Name == request.Name)?.Plan.Index
              ?? throw new InvalidTrafficRequestException("name",
                  $"'{request.Name}' is not a stream that host '{host.Name}' sends; expected one of {Names(StreamsOf(host).Select(s => s.Name))}");
        var at = EffectiveTime(request.When, nowPs, end, "when");
        host.Live.Accept(new StreamStopInjection(at, index));
        Record(host.Name, at, r => r.StopStream = request);
        var talker = host.Live.TalkerOf(index) ?? host.Talkers.FirstOrDefault(t => t.Plan.Index == index);
        return new StopStreamReply { EffectivePs = at.Picoseconds, Sent = talker?.Sent ?? 0 };
    }

    /// <summary>
    /// Installs a new gate schedule on a port with traffic classes, of a host or a bridge, at the
    /// request's time; it takes over at its own base time (<see cref="Core.Tsn.GateTimeline"/>).
    /// </summary>
    public SetterReply SetGateSchedule(SetGateScheduleRequest request, long nowPs, SimTime end)
    {
        var node = NodeOf(request.Node);
        var port = PortOf(node.Ports, $"node '{node.Name}'", request.Port, "port");
        var target = node.Ports[port];
        if (target.Classes is null)
            throw new InvalidTrafficRequestException("port", $"port {node.Name}:{target.Name} has no traffic classes; give it `egress:` (num_tc, map) in the topology to schedule its gates");
        var schedule = GateScheduleOf(request.Schedule, target);
        var at = EffectiveTime(request.When, nowPs, end, "when");
        target.AcceptSchedule(at, schedule);
        Record(node.Name, at, r => r.SetGateSchedule = request);
        return new SetterReply { EffectivePs = at.Picoseconds };
    }

    /// <summary>Gives the NIC of a host's port a new RSS key, indirection table or both, at the request's time.</summary>
    public SetterReply SetRss(SetRssRequest request, long nowPs, SimTime end)
    {
        var (host, port, nic) = NicOf(request.Node, request.Port, "set its RSS");
        byte[]? key = null;
        if (request.Key.Length > 0)
        {
            if (request.Key.Length != Core.Nic.ToeplitzHash.KeyBytes)
                throw new InvalidTrafficRequestException("key", $"is {request.Key.Length} bytes; an RSS key is {Core.Nic.ToeplitzHash.KeyBytes} bytes (or empty to keep the current one)");
            key = request.Key.ToByteArray();
        }
        int[]? table = null;
        if (request.IndirectionTable.Count > 0)
        {
            int count = request.IndirectionTable.Count;
            if ((count & (count - 1)) != 0)
                throw new InvalidTrafficRequestException("indirection_table", $"has {count} entries; an indirection table has a power of two (1, 2, 4 … 128 …), or none to keep the current one");
            table = new int[count];
            for (int i = 0; i < count; i++)
            {
                uint queue = request.IndirectionTable[i];
                if (queue >= nic.Queues.Count)
                    throw new InvalidTrafficRequestException($"indirection_table[{i}]", $"is queue {queue}, but {host.Name}:{host.Ports[port].Name} has {nic.Queues.Count} Rx queues (0 to {nic.Queues.Count - 1})");
                table[i] = (int)queue;
            }
        }
        if (key is null && table is null)
            throw new InvalidTrafficRequestException("key", "and indirection_table are both empty; expected a new key, a new table or both");
        var at = EffectiveTime(request.When, nowPs, end, "when");
        nic.AcceptChange(new Core.Nic.RssChange(at, key, table));
        Record(host.Name, at, r => r.SetRss = request);
        return new SetterReply { EffectivePs = at.Picoseconds };
    }

    /// <summary>Gives the NIC of a host's port a new list of steering rules at the request's time, checked as the topology's rules are; an empty list removes them.</summary>
    public SetterReply SetRxRules(SetRxRulesRequest request, long nowPs, SimTime end)
    {
        var (host, _, nic) = NicOf(request.Node, request.Port, "steer what it receives");
        // Every packet the NIC receives tries the rules in turn, and the log keeps each one.
        if (request.Rules.Count > MaxRulesPerRequest)
            throw new InvalidTrafficRequestException("rules", $"holds {request.Rules.Count} rules; at most {MaxRulesPerRequest} per call");
        var rules = Core.Topology.FlowRuleReader.Read([.. request.Rules.Select(RxRuleFields.Of)], nic.Queues.Count, "rules", out var problem);
        if (problem is not null) throw new InvalidTrafficRequestException(problem.Field, problem.Message);
        var at = EffectiveTime(request.When, nowPs, end, "when");
        nic.AcceptChange(new Core.Nic.FlowRuleChange(at, rules));
        Record(host.Name, at, r => r.SetRxRules = request);
        return new SetterReply { EffectivePs = at.Picoseconds };
    }

    /// <summary>The host, port and multi-queue NIC a request names; refused when the host has no NIC to <paramref name="purpose"/>.</summary>
    private (Host Host, int Port, Core.Nic.MultiQueueNic Nic) NicOf(string node, string port, string purpose)
    {
        var host = HostOf(node);
        int index = PortOf(host, port, "port");
        return host.NicOf(index) is { } nic ? (host, index, nic)
            : throw new InvalidTrafficRequestException("node", $"host '{host.Name}' has no multi-queue NIC; give it `nic:` (rx_queues, rss, rules) in the topology to {purpose}");
    }

    /// <summary>A host's new power state (d0, d3) at the request's time.</summary>
    public SetterReply SetPowerState(SetPowerStateRequest request, long nowPs, SimTime end)
    {
        var host = HostOf(request.Node);
        if (host.Power is null)
            throw new InvalidTrafficRequestException("node", $"host '{host.Name}' has no NIC to sleep with; give it `nic:` in the topology (addresses for ARP and NS offload, wake patterns)");
        var state = request.State switch
        {
            "d0" => Core.Nic.PowerState.D0,
            "d3" => Core.Nic.PowerState.D3,
            _ => throw new InvalidTrafficRequestException("state", $"'{request.State}' is not a power state; expected d0 (working) or d3 (asleep)"),
        };
        var at = EffectiveTime(request.When, nowPs, end, "when");
        host.AcceptPowerChange(at, state);
        Record(host.Name, at, r => r.SetPowerState = request);
        return new SetterReply { EffectivePs = at.Picoseconds };
    }

    /// <summary>An application's new socket priority and rate limit, at the request's time.</summary>
    public SetterReply SetApplicationPriority(SetApplicationPriorityRequest request, long nowPs, SimTime end)
    {
        var host = HostOf(request.Node);
        var talker = host.Talkers.FirstOrDefault(t => t.Plan.Config.ApplicationName == request.Application)
            ?? (host.Live.Find(request.Application) is { Period: not null } live ? host.Live.TalkerOf(live.Index) : null)
            ?? throw new InvalidTrafficRequestException("application",
                $"'{request.Application}' is not an application of host '{host.Name}'; expected one of {Names(host.Talkers.Select(t => t.Plan.Config.ApplicationName).Concat(host.Live.Streams.Where(s => s.Period is not null).Select(s => s.Name)))}");
        if (request.Priority > 15) throw new InvalidTrafficRequestException("priority", $"is {request.Priority}; expected a socket priority from 0 to 15");
        if (request.RateBps > long.MaxValue) throw new InvalidTrafficRequestException("rate_bps", $"is {request.RateBps}; expected a rate in bit/s, or 0 for none");
        Core.Traffic.TokenBucketConfig? shaper = null;
        if (request.RateBps > 0)
        {
            var config = talker.Plan.Config;
            shaper = (talker.Shaper ?? config.Shaper ?? new Core.Traffic.TokenBucketConfig(default, 2 * (config.FrameSize + 20))) with { Rate = new DataRate((long)request.RateBps) };
        }
        var at = EffectiveTime(request.When, nowPs, end, "when");
        host.Live.Accept(new Core.Traffic.ApplicationSettingInjection(at, talker.Plan.Index, (byte)request.Priority, shaper));
        Record(host.Name, at, r => r.SetApplicationPriority = request);
        return new SetterReply { EffectivePs = at.Picoseconds };
    }

    /// <summary>The request's schedule, checked as the topology checks one: its entries, its classes, its length, each entry against the port's rate.</summary>
    private static Core.Tsn.GateControlList GateScheduleOf(GateSchedule? schedule, Port port)
    {
        if (schedule is null) throw new InvalidTrafficRequestException("schedule", "is missing; expected a gate schedule with at least one entry");
        if (schedule.Entries.Count == 0) throw new InvalidTrafficRequestException("schedule.entries", "is empty; expected at least one gate entry in tc's words, such as \"S 01 300000\"");
        foreach (var (value, field) in new[] { (schedule.BaseTimeNs, "base_time_ns"), (schedule.CycleTimeNs, "cycle_time_ns"), (schedule.CycleTimeExtensionNs, "cycle_time_extension_ns") })
            if (value < 0) throw new InvalidTrafficRequestException($"schedule.{field}", $"is {value}; expected 0 or more ns");
        var entries = new List<(char, ushort, long, int)>();
        for (int i = 0; i < schedule.Entries.Count; i++)
        {
            var errors = new List<Core.Tsn.TaprioSyntax.Error>();
            var parsed = Core.Tsn.TaprioSyntax.Parse("sched-entry " + schedule.Entries[i], errors);
            if (errors.Count > 0 || parsed.Entries.Count != 1)
                throw new InvalidTrafficRequestException($"schedule.entries[{i}]", $"'{schedule.Entries[i]}': {(errors.Count > 0 ? errors[0].Message : "expected one entry: a command (S, H or R), a hex gate mask and an interval in ns")}");
            entries.Add(parsed.Entries[0]);
        }
        long sumNs = 0;
        foreach (var entry in entries)
            sumNs = entry.Item3 > long.MaxValue - sumNs
                ? throw new InvalidTrafficRequestException("schedule", "lasts beyond the simulation's clock range (about 106 days); expected a shorter cycle")
                : sumNs + entry.Item3;
        if (Core.Tsn.TaprioSyntax.Nanoseconds(Math.Max(schedule.CycleTimeNs, sumNs)) is null || Core.Tsn.TaprioSyntax.Nanoseconds(schedule.CycleTimeExtensionNs) is null)
            throw new InvalidTrafficRequestException("schedule", "lasts beyond the simulation's clock range (about 106 days); expected a shorter cycle");
        var parsedSchedule = new Core.Tsn.TaprioSyntax.Parsed(null, null, null, schedule.BaseTimeNs, schedule.CycleTimeNs > 0 ? schedule.CycleTimeNs : null,
            schedule.CycleTimeExtensionNs, entries);
        var list = Core.Tsn.TaprioSyntax.ScheduleOf(parsedSchedule, out _);
        var egress = port.Config.Egress!;
        var problems = Core.Tsn.GateScheduleRules.StructureProblems(list, egress.NumTrafficClasses, egress.MaxEntries);
        if (port.Egress is { } link) problems.AddRange(Core.Tsn.GateScheduleRules.EntryLengthProblems(list, link.Rate));
        if (problems.Count > 0) throw new InvalidTrafficRequestException("schedule", $"port {port.Owner.Name}:{port.Name}: {problems[0]}");
        return list;
    }

    /// <summary>The streams of the named host (or of every host of the partition when the name is empty).</summary>
    public ListStreamsReply ListStreams(ListStreamsRequest request, long nowPs)
    {
        IEnumerable<Host> hosts = request.Node.Length == 0 ? _hosts.Values.OrderBy(h => h.Index) : [HostOf(request.Node)];
        var reply = new ListStreamsReply { EffectivePs = nowPs };
        foreach (var host in hosts) reply.Streams.AddRange(StreamsOf(host));
        return reply;
    }

    /// <summary>
    /// Accepts a recorded injection again, at its recorded time, in a run that has not passed
    /// it. Even one due after the run's end is accepted (and then does nothing), as the recorded
    /// run did when it was stopped early: acceptance order fixes frame ids and stream indices.
    /// </summary>
    public void Replay(RecordedInjection recorded)
    {
        var end = SimTime.MaxValue;
        var when = new When { AtPs = recorded.AtPs };
        long now = _partition.Scheduler.Now.Picoseconds;
        switch (recorded.RequestCase)
        {
            case RecordedInjection.RequestOneofCase.InjectFrames:
                var frames = recorded.InjectFrames.Clone();
                (frames.Node, frames.When) = (recorded.Node, when);
                InjectFrames(frames, now, end);
                break;
            case RecordedInjection.RequestOneofCase.StartStream:
                var start = recorded.StartStream.Clone();
                (start.Node, start.When) = (recorded.Node, when);
                StartStream(start, now, end);
                break;
            case RecordedInjection.RequestOneofCase.StopStream:
                var stop = recorded.StopStream.Clone();
                (stop.Node, stop.When) = (recorded.Node, when);
                StopStream(stop, now, end);
                break;
            case RecordedInjection.RequestOneofCase.SetGateSchedule:
                var gates = recorded.SetGateSchedule.Clone();
                (gates.Node, gates.When) = (recorded.Node, when);
                SetGateSchedule(gates, now, end);
                break;
            case RecordedInjection.RequestOneofCase.SetRss:
                var rss = recorded.SetRss.Clone();
                (rss.Node, rss.When) = (recorded.Node, when);
                SetRss(rss, now, end);
                break;
            case RecordedInjection.RequestOneofCase.SetApplicationPriority:
                var application = recorded.SetApplicationPriority.Clone();
                (application.Node, application.When) = (recorded.Node, when);
                SetApplicationPriority(application, now, end);
                break;
            case RecordedInjection.RequestOneofCase.SetPowerState:
                var power = recorded.SetPowerState.Clone();
                (power.Node, power.When) = (recorded.Node, when);
                SetPowerState(power, now, end);
                break;
            case RecordedInjection.RequestOneofCase.SetRxRules:
                var rules = recorded.SetRxRules.Clone();
                (rules.Node, rules.When) = (recorded.Node, when);
                SetRxRules(rules, now, end);
                break;
            default:
                throw new InvalidTrafficRequestException("request", "is missing; expected inject_frames, start_stream, stop_stream, set_gate_schedule, set_rss, set_rx_rules, set_application_priority or set_power_state");
        }
    }

    public bool Owns(string node) => _nodes.ContainsKey(node);

    private IEnumerable<StreamInfo> StreamsOf(Host host)
    {
        foreach (var talker in host.Talkers)
            yield return Info(talker.Plan.Config, talker.Plan.Index, talker.Sent, "topology", talker.Running);
        foreach (var live in host.Live.Streams)
        {
            var talker = host.Live.TalkerOf(live.Index);
            var info = talker is not null
                ? Info(talker.Plan.Config, live.Index, talker.Sent, live.Origin, talker.Running)
                // Accepted but not started yet (its start is due later than what has run): what the client asked for.
                : new StreamInfo
                {
                    Name = live.Name, Stream = live.Index, Talker = host.Name, Pcp = live.Pcp, Sent = host.Context.Telemetry.Stream(live.Index).Sent, Origin = live.Origin,
                    PeriodPs = live.Period?.Picoseconds ?? 0, Size = (uint)(live.FrameSize ?? 0),
                };
            if (talker is null && live.Listener is { } listener) info.Listeners.Add(listener);
            yield return info;
        }
    }

    private static StreamInfo Info(StreamConfig config, int index, long sent, string origin, bool running)
    {
        var info = new StreamInfo
        {
            Name = config.Name, Stream = index, Talker = config.Talker, PeriodPs = config.Period.Picoseconds,
            Size = (uint)config.FrameSize, Pcp = config.Pcp, Sent = sent, Origin = origin, Running = running,
        };
        info.Listeners.AddRange(config.Listeners);
        return info;
    }

    private void Record(string node, SimTime at, Action<RecordedInjection> fill)
    {
        var recorded = new RecordedInjection { Node = node, AtPs = at.Picoseconds };
        fill(recorded);
        // The node and time are the line's own fields; the request keeps only what they do not say.
        switch (recorded.RequestCase)
        {
            case RecordedInjection.RequestOneofCase.InjectFrames:
                recorded.InjectFrames = recorded.InjectFrames.Clone();
                (recorded.InjectFrames.Node, recorded.InjectFrames.When) = ("", null);
                break;
            case RecordedInjection.RequestOneofCase.StartStream:
                recorded.StartStream = recorded.StartStream.Clone();
                (recorded.StartStream.Node, recorded.StartStream.When) = ("", null);
                break;
            case RecordedInjection.RequestOneofCase.StopStream:
                recorded.StopStream = recorded.StopStream.Clone();
                (recorded.StopStream.Node, recorded.StopStream.When) = ("", null);
                break;
            case RecordedInjection.RequestOneofCase.SetGateSchedule:
                recorded.SetGateSchedule = recorded.SetGateSchedule.Clone();
                (recorded.SetGateSchedule.Node, recorded.SetGateSchedule.When) = ("", null);
                break;
            case RecordedInjection.RequestOneofCase.SetRss:
                recorded.SetRss = recorded.SetRss.Clone();
                (recorded.SetRss.Node, recorded.SetRss.When) = ("", null);
                break;
            case RecordedInjection.RequestOneofCase.SetApplicationPriority:
                recorded.SetApplicationPriority = recorded.SetApplicationPriority.Clone();
                (recorded.SetApplicationPriority.Node, recorded.SetApplicationPriority.When) = ("", null);
                break;
            case RecordedInjection.RequestOneofCase.SetPowerState:
                recorded.SetPowerState = recorded.SetPowerState.Clone();
                (recorded.SetPowerState.Node, recorded.SetPowerState.When) = ("", null);
                break;
            case RecordedInjection.RequestOneofCase.SetRxRules:
                recorded.SetRxRules = recorded.SetRxRules.Clone();
                (recorded.SetRxRules.Node, recorded.SetRxRules.When) = ("", null);
                break;
        }
        _recorded.Add(recorded);
    }

    private Host HostOf(string node)
    {
        if (node.Length == 0) throw new InvalidTrafficRequestException("node", "is empty; expected the name of a host that sends");
        if (_hosts.TryGetValue(node, out var host)) return host;
        var config = _topology.Nodes.FirstOrDefault(n => n.Name == node);
        if (config is null)
            throw new InvalidTrafficRequestException("node", $"'{node}' is not in the topology; expected one of the hosts {Names(_topology.Nodes.Where(n => n.Kind == NodeKind.Host).Select(n => n.Name))}");
        if (config.Kind != NodeKind.Host)
            throw new InvalidTrafficRequestException("node", $"'{node}' is a bridge; only hosts send traffic (expected one of {Names(_topology.Nodes.Where(n => n.Kind == NodeKind.Host).Select(n => n.Name))})");
        throw new InvalidTrafficRequestException("node", $"'{node}' runs in another process than '{_partition.Name}'; send the request to that process, or to the coordinator, which forwards it");
    }

    private Node NodeOf(string name)
    {
        if (name.Length == 0) throw new InvalidTrafficRequestException("node", "is empty; expected the name of a host or bridge");
        if (_nodes.TryGetValue(name, out var node)) return node;
        if (_topology.Nodes.All(n => n.Name != name))
            throw new InvalidTrafficRequestException("node", $"'{name}' is not in the topology; expected one of {Names(_topology.Nodes.Select(n => n.Name))}");
        throw new InvalidTrafficRequestException("node", $"'{name}' runs in another process than '{_partition.Name}'; send the request to that process, or to the coordinator, which forwards it");
    }

    private static SimTime EffectiveTime(When? when, long nowPs, SimTime end, string field)
    {
        long at = when?.AtCase switch
        {
            When.AtOneofCase.AtPs when when.AtPs < nowPs => throw new InvalidTrafficRequestException($"{field}.at_ps",
                $"is {new SimTime(when.AtPs)}, but the node has already simulated up to {new SimTime(nowPs)}; ask for a later time, or use after_ps or asap"),
            When.AtOneofCase.AtPs => when.AtPs,
            When.AtOneofCase.AfterPs when when.AfterPs < 0 => throw new InvalidTrafficRequestException($"{field}.after_ps", $"is {when.AfterPs}; expected a delay of 0 or more ps"),
            When.AtOneofCase.AfterPs => nowPs + when.AfterPs,
            _ => nowPs,
        };
        if (at >= end.Picoseconds)
            throw new InvalidTrafficRequestException(field, $"resolves to {new SimTime(at)}, at or past the run's end {end}; expected an earlier time");
        return new SimTime(at);
    }

    private InjectedFrame Resolve(FrameSpec spec, Host host, string field, List<(string, byte, string?)> streams)
    {
        int port = PortOf(host, spec.Port, $"{field}.port");
        switch (spec.KindCase)
        {
            case FrameSpec.KindOneofCase.Raw:
                int max = Ethernet.MaxFrameBytesWithoutFcs;
                if (spec.Raw.Length < Ethernet.HeaderBytes || spec.Raw.Length > max)
                    throw new InvalidTrafficRequestException($"{field}.raw", $"is {spec.Raw.Length} bytes; expected {Ethernet.HeaderBytes} to {max} (a frame without FCS)");
                streams.Add(("", 0, null));
                return InjectedFrame.FromRaw(port, spec.Raw.ToByteArray());
            case FrameSpec.KindOneofCase.Described:
                var d = spec.Described;
                var (destination, listener) = Destination(d.DestinationCase switch
                {
                    DescribedFrame.DestinationOneofCase.DestinationNode => (d.DestinationNode, null),
                    DescribedFrame.DestinationOneofCase.DestinationMac => (null, d.DestinationMac),
                    _ => (null, null),
                }, $"{field}.described.destination_node");
                var tag = Tag(d.HasVlan ? d.Vlan : null, d.Pcp, $"{field}.described.");
                var header = new EthernetHeader(destination, host.Config.Mac, tag, EtherTypes.LocalExperimental1);
                int room = Ethernet.MaxFrameBytesWithoutFcs - header.Length - StreamPayload.Length;
                byte[] payload = d.PayloadCase == DescribedFrame.PayloadOneofCase.PayloadBytes ? d.PayloadBytes.ToByteArray()
                    : d.PayloadSize <= room ? new byte[d.PayloadSize]
                    : throw new InvalidTrafficRequestException($"{field}.described.payload_size", $"is {d.PayloadSize}; at most {room} bytes fit after the headers");
                if (payload.Length > room)
                    throw new InvalidTrafficRequestException($"{field}.described.payload_bytes", $"holds {payload.Length} bytes; at most {room} fit after the headers");
                string application = d.Application.Length > 0 ? d.Application : "inject";
                if (host.Talkers.Any(t => t.Plan.Config.Name == application) || host.Live.Find(application) is { Period: not null })
                    throw new InvalidTrafficRequestException($"{field}.described.application",
                        $"'{application}' is the name of a stream of host '{host.Name}'; an application's frames count as a stream of their own, so expected another name");
                streams.Add((application, (byte)d.Pcp, listener));
                return new InjectedFrame(port, null, header, 0, payload);
            default:
                throw new InvalidTrafficRequestException($"{field}", "has neither raw nor described; expected one of them");
        }
    }

    private (MacAddress Mac, string? Listener) Destination((string? Node, string? Mac) destination, string field)
    {
        if (destination.Node is { } node)
        {
            var config = _topology.Nodes.FirstOrDefault(n => n.Name == node);
            if (config is null || config.Kind != NodeKind.Host)
                throw new InvalidTrafficRequestException(field, $"'{node}' is not a host of the topology; expected one of {Names(_topology.Nodes.Where(n => n.Kind == NodeKind.Host).Select(n => n.Name))}");
            return (config.Mac, node);
        }
        var macField = field.Replace("destination_node", "destination_mac");
        if (destination.Mac is { } text)
            return MacAddress.TryParse(text, out var mac) ? (mac, _topology.Nodes.FirstOrDefault(n => n.Kind == NodeKind.Host && n.Mac == mac)?.Name)
                : throw new InvalidTrafficRequestException(macField, $"'{text}' is not a MAC address; expected six hex octets such as 02:00:00:00:00:01");
        throw new InvalidTrafficRequestException(field.Replace(".destination_node", ".destination").Replace("destination_node", "destination"),
            "is missing; expected destination_node (a host's name) or destination_mac");
    }

    private static VlanTag? Tag(uint? vlan, uint pcp, string prefix)
    {
        if (vlan > 4094) throw new InvalidTrafficRequestException($"{prefix}vlan", $"is {vlan}; expected a VLAN ID from 0 to 4094");
        if (pcp > 7) throw new InvalidTrafficRequestException($"{prefix}pcp", $"is {pcp}; expected a priority code point from 0 to 7");
        return vlan is null && pcp == 0 ? null : new VlanTag((byte)pcp, false, (ushort)(vlan ?? 0));
    }

    private static int PortOf(Host host, string port, string field) => PortOf(host.Ports, $"host '{host.Name}'", port, field);

    private static int PortOf(IReadOnlyList<Port> ports, string owner, string port, string field)
    {
        if (port.Length == 0) return 0;
        for (int i = 0; i < ports.Count; i++)
            if (ports[i].Name == port) return i;
        throw new InvalidTrafficRequestException(field, $"{owner} has no port '{port}'; expected one of {Names(ports.Select(p => p.Name))}");
    }

    private void CheckNewStreamName(Host host, string name)
    {
        if (_topology.Streams.Any(s => s.Name == name) || host.Live.Find(name) is not null)
            throw new InvalidTrafficRequestException("name", $"'{name}' is already a stream of the run; expected a new name");
    }

    /// <summary>Refuses frames beyond the host's bound on injected frames accepted but not yet sent.</summary>
    private static void ReservePending(Host host, int frames)
    {
        int pending = host.Live.PendingFrames;
        if (pending + frames > MaxPendingFrames)
            throw new TrafficBusyException($"host '{host.Name}' already holds {pending} injected frames not yet sent (at most {MaxPendingFrames}); retry once virtual time has passed them");
    }

    private static string Names(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));
}
