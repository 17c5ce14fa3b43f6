namespace TsnSim.Core.Topology.Internal;

/// <summary>The fields each mapping of a topology file may hold, in the order the documentation lists them.</summary>
internal static class TopologyFields
{
    public static readonly IReadOnlyList<string> TopLevel = ["name", "seed", "duration", "drain", "defaults", "ptp", "nodes", "links", "streams"];
    public static readonly IReadOnlyList<string> Ptp = ["profile", "domain", "sync_interval", "announce_interval", "pdelay_interval", "delay_req_interval", "neighbor_prop_delay_thresh", "delay_filter_length", "socket_priority", "servo"];
    public static readonly IReadOnlyList<string> Servo = ["first_step_threshold", "step_threshold", "max_frequency", "kp", "ki"];
    public static readonly IReadOnlyList<string> NodePtp = ["priority1", "priority2", "clock_class", "stop_at"];
    public static readonly IReadOnlyList<string> Defaults = ["link", "host", "switch", "clock", "timestamps"];
    public static readonly IReadOnlyList<string> Clock = ["ppm", "wander", "wander_bound", "max_adj"];
    public static readonly IReadOnlyList<string> Timestamps = ["granularity", "tx_latency", "rx_latency", "noise"];
    public static readonly IReadOnlyList<string> LinkDefaults = ["rate", "delay"];
    public static readonly IReadOnlyList<string> HostDefaults = ["queue"];
    public static readonly IReadOnlyList<string> SwitchDefaults = ["processing", "queue", "aging"];
    public static readonly IReadOnlyList<string> Node = ["kind", "ports", "mac", "processing", "queue", "fdb", "aging", "clock", "timestamps", "ptp", "egress", "nic"];
    public static readonly IReadOnlyList<string> Nic = ["rx_queues", "ring", "buffers", "cores", "queue_cores", "cost", "tx_queues", "tx_ring", "tx_backlog", "tx_queue_cores", "tx_cost", "rss", "rss_changes", "rsc", "rules", "rule_changes", "addresses", "power", "wake"];
    public static readonly IReadOnlyList<string> PowerChange = ["at", "state"];
    public static readonly IReadOnlyList<string> WakePattern = ["name", "ethertype", "vlan", "pcp", "proto", "src", "dst", "src_port", "dst_port"];
    public static readonly IReadOnlyList<string> Rsc = ["queues", "flush", "contexts"];
    public static readonly IReadOnlyList<string> NicBuffers = ["count", "size"];
    public static readonly IReadOnlyList<string> NicCost = ["per_packet", "per_byte"];
    public static readonly IReadOnlyList<string> Rss = ["enabled", "hash_types", "key", "table_size", "table", "unhashed_queue"];
    public static readonly IReadOnlyList<string> RssChange = ["at", "key", "table"];
    public static readonly IReadOnlyList<string> RuleChange = ["at", "rules"];
    public static readonly IReadOnlyList<string> FlowRule = ["name", "ethertype", "vlan", "pcp", "proto", "src", "dst", "src_port", "dst_port", "queue"];
    public static readonly IReadOnlyList<string> Flow = ["proto", "src", "dst", "flows", "burst"];
    public static readonly IReadOnlyList<string> SwitchOnly = ["processing", "fdb", "aging"];
    public static readonly IReadOnlyList<string> Port = ["queue", "pvid", "vlans", "egress"];
    public static readonly IReadOnlyList<string> Egress = ["taprio", "num_tc", "map", "queues", "schedule", "cbs", "etf", "schedule_changes"];
    public static readonly IReadOnlyList<string> ScheduleChange = ["at", "taprio", "schedule"];
    public static readonly IReadOnlyList<string> Cbs = ["idleslope", "sendslope", "hicredit", "locredit"];
    public static readonly IReadOnlyList<string> Schedule = ["base_time", "cycle_time", "cycle_time_extension", "max_entries", "entries"];
    public static readonly IReadOnlyList<string> GateEntry = ["command", "gates", "interval"];
    public static readonly IReadOnlyList<string> FdbEntry = ["mac", "port", "ports", "vlan"];
    public static readonly IReadOnlyList<string> Link = ["endpoints", "rate", "delay", "asymmetry"];
    public static readonly IReadOnlyList<string> Stream =
        ["name", "talker", "port", "listeners", "listener", "period", "rate", "size", "vlan", "pcp", "dei", "start", "count", "deadline", "dst", "trace", "tx_timestamps", "launch_time", "timer", "flow", "application", "priority", "shaper"];
    public static readonly IReadOnlyList<string> Shaper = ["rate", "burst", "policy", "backlog"];
    public static readonly IReadOnlyList<string> LaunchTime = ["after", "deadline_mode"];
}
