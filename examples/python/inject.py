#!/usr/bin/env python3
"""Live traffic from Python: injects a frame and runs a stream in a running `tsnsim up`.

Talks to the coordinator's TrafficService (protos/traffic.proto), which forwards each call to
the node process that runs the named node. Prints one line per reply, `call key=value ...`,
with the virtual times (ps) at which each request took effect.

    ./generate.sh                      # once: stubs into generated/
    python3 inject.py --address http://127.0.0.1:50050 --sender h1 --to h2
"""
import argparse
import decimal
import os
import re
import sys
import time

UNITS = {"ps": 1, "ns": 10**3, "us": 10**6, "ms": 10**9, "s": 10**12}


def picoseconds(text):
    """'1.5us' -> 1500000, as tsnsim's own duration options read it (whole picoseconds only)."""
    match = re.fullmatch(r"\s*([0-9.eE+-]+)\s*(ps|ns|us|ms|s)\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(f"'{text}' is not a time such as 500ns, 1.5us or 10ms")
    value = decimal.Decimal(match.group(1)) * UNITS[match.group(2)]
    if value != value.to_integral_value() or value < 0:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole, non-negative number of picoseconds")
    return int(value)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--address", default=os.environ.get("TSNSIM_ADDRESS", "http://localhost:50050"),
                        help="the coordinator, as tsnsim up prints it (default $TSNSIM_ADDRESS, else http://localhost:50050)")
    parser.add_argument("--stubs", default=os.path.join(here, "generated"), help="where generate.sh put the stubs")
    parser.add_argument("--sender", default="h1", help="the host that sends")
    parser.add_argument("--to", default="h2", help="the destination host")
    parser.add_argument("--at", type=picoseconds, help="virtual time of the frame, e.g. 5ms (default: as soon as possible)")
    parser.add_argument("--period", type=picoseconds, default=picoseconds("100ms"), help="the stream's period (default 100ms)")
    parser.add_argument("--run-for", type=picoseconds, default=picoseconds("1050ms"),
                        help="virtual time from the stream's start to its stop (default 1050ms: 10.5 periods)")
    args = parser.parse_args()

    sys.path.insert(0, args.stubs)
    try:
        import grpc
        import traffic_pb2 as traffic
        import traffic_pb2_grpc as traffic_grpc
    except ImportError as e:
        sys.exit(f"inject.py: {e}; install python3-grpcio and python3-protobuf, then run generate.sh")

    target = re.sub(r"^https?://", "", args.address).rstrip("/")
    with grpc.insecure_channel(target) as channel:
        service = traffic_grpc.TrafficServiceStub(channel)
        try:
            # A described frame: the node builds the Ethernet frame (802.1Q tag for PCP 6) with
            # the simulator's stream header, so the receiver measures its latency.
            when = traffic.When(at_ps=args.at) if args.at is not None else traffic.When(asap=True)
            frame = traffic.DescribedFrame(destination_node=args.to, pcp=6, application="python-example", payload_size=64)
            reply = service.InjectFrames(traffic.InjectFramesRequest(
                node=args.sender, when=when, frames=[traffic.FrameSpec(described=frame)]), timeout=30)
            print(f"inject_frames effective_ps={reply.effective_ps} frame_ids={','.join(map(str, reply.frame_ids))}")

            started = service.StartStream(traffic.StartStreamRequest(
                node=args.sender, when=traffic.When(asap=True), period_ps=args.period, size=128,
                destination_node=args.to, pcp=5), timeout=30)
            print(f"start_stream effective_ps={started.effective_ps} name={started.name} stream={started.stream}")

            listed = service.ListStreams(traffic.ListStreamsRequest(), timeout=30)
            for s in listed.streams:
                print(f"list_streams effective_ps={listed.effective_ps} stream={s.stream} name={s.name} talker={s.talker} "
                      f"origin={s.origin} running={str(s.running).lower()} sent={s.sent}")

            # Stopped at an absolute time: how many frames it sent follows from its period alone.
            stopped = service.StopStream(traffic.StopStreamRequest(
                node=args.sender, name=started.name, when=traffic.When(at_ps=started.effective_ps + args.run_for)), timeout=30)
            # The reply comes at once, with what the stream had sent so far. Wait until the node
            # has carried out the stop (the stream no longer runs, having run) for the total.
            print(f"stop_stream effective_ps={stopped.effective_ps} sent={stopped.sent}")
            deadline = time.monotonic() + 60
            while True:
                listed = service.ListStreams(traffic.ListStreamsRequest(node=args.sender), timeout=30)
                final = next(s for s in listed.streams if s.name == started.name)
                if (not final.running and final.sent > 0) or time.monotonic() > deadline:
                    break
                time.sleep(0.1)
            print(f"stopped effective_ps={listed.effective_ps} name={final.name} running={str(final.running).lower()} sent={final.sent}")
        except grpc.RpcError as e:
            # The server's verdict as it said it; 2: the request was refused, 3: try again later.
            print(f"inject.py: {e.code().name}: {e.details()}", file=sys.stderr)
            retry = {grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.RESOURCE_EXHAUSTED, grpc.StatusCode.DEADLINE_EXCEEDED}
            return 3 if e.code() in retry else 2 if e.code() == grpc.StatusCode.INVALID_ARGUMENT else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
