using TsnSim.Core.Ptp;
using TsnSim.Core.Ptp.Messages;

namespace TsnSim.Core.Topology.Internal;

/// <summary>Reads the top-level <c>ptp:</c> section and a node's <c>ptp:</c> priorities.</summary>
internal static class PtpSectionReader
{
    private const string Expectation = "a mapping with any of profile (gptp or e2e), domain, sync_interval, announce_interval, pdelay_interval, delay_req_interval, neighbor_prop_delay_thresh, delay_filter_length, socket_priority, servo";

    public static PtpConfig? Read(SourceNode node, ValueReader values)
    {
        var mapping = values.Mapping(node, "ptp", Expectation);
        if (mapping is null) return null;
        var fields = MappingFields.Check(mapping, "ptp", TopologyFields.Ptp, values.Diagnostics);
        var profile = PtpProfile.Gptp;
        if (fields["profile"] is { } profileNode && values.Text(profileNode, "ptp.profile", "gptp or e2e") is { } name)
        {
            if (name == "e2e") profile = PtpProfile.E2e;
            else if (name != "gptp") values.Diagnostics.Error(profileNode, "ptp.profile", $"unknown PTP profile '{name}'; expected gptp (802.1AS) or e2e (IEEE 1588 delay request-response, bridges as transparent clocks)");
        }
        var config = PtpConfig.For(profile);
        // Each profile measures delay its own way; a setting of the other one would silently do nothing.
        foreach (var (field, only) in new[] { ("pdelay_interval", PtpProfile.Gptp), ("neighbor_prop_delay_thresh", PtpProfile.Gptp), ("delay_req_interval", PtpProfile.E2e) })
            if (fields[field] is { } misplaced && only != profile)
                values.Diagnostics.Error(misplaced, fields.PathOf(field), $"{field} applies to the {(only == PtpProfile.Gptp ? "gptp" : "e2e")} profile only; this topology's profile is {(profile == PtpProfile.Gptp ? "gptp" : "e2e")}");
        if (fields["socket_priority"] is { } priorityNode && values.Integer(priorityNode, "ptp.socket_priority", 0, 15, "the priority of PTP's frames (0 … 15), as linuxptp's socket_priority") is { } priority)
            config = config with { SocketPriority = (byte)priority };
        if (fields["domain"] is { } domainNode && values.Integer(domainNode, "ptp.domain", 0, 127, "a PTP domain number") is { } domain)
            config = config with { DomainNumber = (byte)domain };
        if (fields["sync_interval"] is { } syncNode && Interval(syncNode, "ptp.sync_interval", values) is { } sync) config = config with { SyncInterval = sync };
        if (fields["announce_interval"] is { } announceNode && Interval(announceNode, "ptp.announce_interval", values) is { } announce) config = config with { AnnounceInterval = announce };
        if (fields["pdelay_interval"] is { } pdelayNode && Interval(pdelayNode, "ptp.pdelay_interval", values) is { } pdelay) config = config with { PdelayInterval = pdelay };
        if (fields["delay_req_interval"] is { } delayReqNode && Interval(delayReqNode, "ptp.delay_req_interval", values) is { } delayReq) config = config with { DelayRequestInterval = delayReq };
        if (fields["neighbor_prop_delay_thresh"] is { } threshNode && values.Duration(threshNode, "ptp.neighbor_prop_delay_thresh", allowZero: false) is { } thresh)
            config = config with { NeighborPropDelayThreshold = thresh };
        if (fields["delay_filter_length"] is { } filterNode && values.Integer(filterNode, "ptp.delay_filter_length", 1, 1000, "how many delay measurements the moving median holds") is { } length)
            config = config with { DelayFilterLength = (int)length };
        if (fields["servo"] is { } servoNode && values.Mapping(servoNode, "ptp.servo", "a mapping with any of first_step_threshold, step_threshold, max_frequency, kp, ki") is { } servoMapping)
        {
            var servo = MappingFields.Check(servoMapping, "ptp.servo", TopologyFields.Servo, values.Diagnostics);
            var s = config.Servo;
            if (servo["first_step_threshold"] is { } first && values.Duration(first, servo.PathOf("first_step_threshold"), allowZero: true) is { } f) s = s with { FirstStepThreshold = f };
            if (servo["step_threshold"] is { } step && values.Duration(step, servo.PathOf("step_threshold"), allowZero: true) is { } st) s = s with { StepThreshold = st };
            if (servo["max_frequency"] is { } max && values.Number(max, servo.PathOf("max_frequency"), 1, 1e9, "the largest frequency adjustment in ppb") is { } m) s = s with { MaxFrequencyPpb = m };
            // Constant gains, as linuxptp's pi_proportional_const and pi_integral_const: no scaling by the interval.
            if (servo["kp"] is { } kp && values.Number(kp, servo.PathOf("kp"), 0, 100, "the proportional gain") is { } p) s = s with { KpScale = p, KpExponent = 0, KpNormMax = 1 };
            if (servo["ki"] is { } ki && values.Number(ki, servo.PathOf("ki"), 0, 100, "the integral gain") is { } i) s = s with { KiScale = i, KiExponent = 0, KiNormMax = 2 };
            config = config with { Servo = s };
        }
        return config;
    }

    public static NodePtpConfig ReadNode(SourceNode node, string path, ValueReader values)
    {
        var config = NodePtpConfig.Default;
        var mapping = values.Mapping(node, path, "a mapping with any of priority1, priority2, clock_class, stop_at");
        if (mapping is null) return config;
        var fields = MappingFields.Check(mapping, path, TopologyFields.NodePtp, values.Diagnostics);
        if (fields["priority1"] is { } p1 && values.Integer(p1, fields.PathOf("priority1"), 0, 255, "priority1 (lower wins)") is { } priority1) config = config with { Priority1 = (byte)priority1 };
        if (fields["priority2"] is { } p2 && values.Integer(p2, fields.PathOf("priority2"), 0, 255, "priority2 (lower wins)") is { } priority2) config = config with { Priority2 = (byte)priority2 };
        if (fields["clock_class"] is { } cc && values.Integer(cc, fields.PathOf("clock_class"), 0, 255, "a clockClass (lower wins)") is { } clockClass)
            config = config with { Quality = config.Quality with { ClockClass = (byte)clockClass } };
        if (fields["stop_at"] is { } stop && values.Duration(stop, fields.PathOf("stop_at"), allowZero: true) is { } stopAt) config = config with { StopAt = stopAt };
        return config;
    }

    /// <summary>Message intervals are powers of two seconds (logMessageInterval): 125ms, 1s, 2s.</summary>
    private static Time.SimTime? Interval(SourceNode node, string field, ValueReader values)
    {
        var interval = values.Duration(node, field, allowZero: false);
        if (interval is not { } value) return null;
        double log = Math.Log2(value.Picoseconds / 1e12);
        if (Math.Abs(log - Math.Round(log)) > 1e-9 || log < -7 || log > 7)
        {
            values.Diagnostics.Error(node, field, $"{value} is not a power of two seconds; expected one of 7.8125ms … 125ms, 250ms, 500ms, 1s, 2s … 128s (messages carry log2 of the interval)");
            return null;
        }
        return value;
    }
}
