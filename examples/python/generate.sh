#!/usr/bin/env bash
# Generates the Python stubs of protos/traffic.proto (traffic_pb2.py, traffic_pb2_grpc.py) into
# DIR (default: generated/ beside this script). The stubs are not committed: they must match the
# protobuf runtime that runs them, so they are made with the compiler that goes with it.
#
# Two ways, the first found wins:
#   protoc + grpc_python_plugin   Debian: apt-get install protobuf-compiler protobuf-compiler-grpc
#                                 (pairs with python3-grpcio and python3-protobuf)
#   python -m grpc_tools.protoc   pip install grpcio-tools (1.34 or later)
# Debian 12's python3-grpc-tools carries protoc 3.5, older than proto3 `optional`, which
# traffic.proto uses: it cannot compile the file.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
protos="$here/../../protos"
out="${1:-$here/generated}"
python="${PYTHON:-python3}"
mkdir -p "$out"
if command -v protoc >/dev/null && command -v grpc_python_plugin >/dev/null; then
    protoc -I"$protos" --python_out="$out" --grpc_python_out="$out" \
        --plugin=protoc-gen-grpc_python="$(command -v grpc_python_plugin)" "$protos/traffic.proto"
elif "$python" -c 'import grpc_tools.protoc' 2>/dev/null; then
    "$python" -m grpc_tools.protoc -I"$protos" --python_out="$out" --grpc_python_out="$out" "$protos/traffic.proto"
else
    echo "generate.sh: no protobuf compiler for Python: install protobuf-compiler and protobuf-compiler-grpc (Debian) or pip install grpcio-tools" >&2
    exit 1
fi
echo "$out/traffic_pb2.py"
echo "$out/traffic_pb2_grpc.py"
