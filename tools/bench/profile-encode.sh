#!/usr/bin/env bash
# Where `lstmw encode` spends its CPU (issue 14): runs the command once under `perf record -g` and sums the samples
# into a job's phases with tools/bench/perf_phases.py (reading, level decoding and checks, packing, payloads, the
# LSTM, result assembly, writing, MassTransit, the JIT, the runtime). The command runs with the runtime's perf map on,
# W^X off and no precompiled code, so that every method is named; the JIT's share is therefore larger than in the
# published, ReadyToRun build, and the other phases are the figures to compare. Needs perf.
#   tools/bench/profile-encode.sh LSTMW INPUT MODEL [more lstmw encode options, e.g. --outputs h_n --device cpu]
# e.g., after `lstmw-bench e2e w2x10` has published lstmw and written the files:
#   tools/bench/profile-encode.sh /tmp/lstmw-bench/lstmw/lstmw /tmp/lstmw-bench/W2x10.parquet /tmp/lstmw-bench/W2x10.safetensors --outputs h_n --device cpu
set -euo pipefail
[ $# -ge 3 ] || { sed -n 2,9p "$0"; exit 2; }
lstmw=$1 input=$2 model=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/lstmw-profile.XXXXXX)
trap 'rm -rf "$work"' EXIT
DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 DOTNET_ReadyToRun=0 \
    perf record -F 1999 -g -o "$work/perf.data" -- "$lstmw" encode "$input" --model "$model" --out "$work/out.parquet" "$@" \
    > "$work/encode.log" 2>&1 & perf_pid=$!
wait "$perf_pid" || { cat "$work/encode.log"; exit 1; }
pid=$(perf script -i "$work/perf.data" -F pid 2>/dev/null | awk 'NR == 1 { print $1 }')
perf script -i "$work/perf.data" 2>/dev/null | python3 "$here/perf_phases.py" "/tmp/perf-$pid.map" --top 4
rm -f "/tmp/perf-$pid.map" "/tmp/perfinfo-$pid.map"
