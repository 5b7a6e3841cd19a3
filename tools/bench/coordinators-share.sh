#!/usr/bin/env bash
# What coordinators cost against workers on a dataset job (issue 12): two coordinators sharing one state directory and
# two CPU workers over a local RabbitMQ encode a benchmark workload (lstmw-bench's; default `faults`: 16,000 rows,
# LSTM(64→128, 2 layers, bidirectional)) into a dataset of parts of PART_ROWS rows, once warm-up and then REPS times. Prints, per run, the wall time, each role's CPU seconds (from /proc: user +
# system), coordinators' CPU ÷ workers' CPU, each coordinator's share of the shards (from its log) and the peak RSS of
# each role; checks the dataset against the embedded single-file run value for value (tests/fixtures/parquet's DuckDB
# check). Needs a running rabbitmq-server (as root) and node. With PROFILE=1 the last run is also sampled with
# `perf record -g` in both coordinators and summed into phases by tools/bench/perf_phases.py (needs perf; the
# coordinators then run with the runtime's perf map on, W^X off and no precompiled code, so that every method is
# named: the first jobs cost more).
# Both roles run as docker-compose.yml and deploy/k8s run them: with DOTNET_TieredCompilation=0 and
# DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 (ROLE_ENV, default those; ROLE_ENV= runs them with the runtime's defaults). COORDINATOR_ENV="NAME=VALUE ..." adds environment variables
# for the coordinators only (runtime settings, say).
#   [PROFILE=1] [ROLE_ENV=...] [COORDINATOR_ENV=...] tools/bench/coordinators-share.sh [WORKLOAD] [OUTPUTS] [PART_ROWS] [REPS]
set -euo pipefail
cd "$(dirname "$0")/../.."
workload=${1:-faults} outputs=${2:-h_n} part_rows=${3:-1000} reps=${4:-2}
work=$(mktemp -d /tmp/lstmw-share-bench.XXXXXX)
state=$(mktemp -d /tmp/lstmw-share-bench-state.XXXXXX) # outside the data root, as the coordinator requires
vhost="lstmw-share-$$"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rabbitmqctl -q delete_vhost "$vhost" >/dev/null 2>&1 || true
    rm -rf "$work" "$state"
}
trap cleanup EXIT

dotnet build -c Release src/LstmWorkers.Cli >/dev/null && dotnet build -c Release tests/LstmWorkers.Benchmarks >/dev/null
lstmw="dotnet $PWD/src/LstmWorkers.Cli/bin/Release/net10.0/lstmw.dll"
dotnet tests/LstmWorkers.Benchmarks/bin/Release/net10.0/lstmw-bench.dll parquet "$workload" --dir "$work" >/dev/null
mv "$work/$workload.parquet" "$work/in.parquet" && mv "$work/$workload.safetensors" "$work/model.safetensors"
(cd tests/fixtures/parquet && { [ -d node_modules ] || npm ci --silent >/dev/null; })
rabbitmqctl -q add_vhost "$vhost" && rabbitmqctl -q set_permissions -p "$vhost" guest '.*' '.*' '.*'
export LSTMW_BROKER="amqp://guest:guest@localhost:5672/$vhost" LSTMW_Payloads__Directory="$work/payloads" \
    LSTMW_Logging__LogLevel__LstmWorkers=Information
profile=${PROFILE:-0}
role_env=(env ${ROLE_ENV-DOTNET_TieredCompilation=0 DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0})
coordinator_env=("${role_env[@]}" ${COORDINATOR_ENV:-})
[ "$profile" = 1 ] && coordinator_env+=(DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 DOTNET_ReadyToRun=0)
for c in 1 2; do (cd "$work" && exec "${coordinator_env[@]}" $lstmw coordinator --state-dir "$state" --data-root "$work" >"$work/coordinator-$c.log" 2>&1) & pids+=($!); done
for _ in 1 2; do (exec "${role_env[@]}" $lstmw worker --device cpu --concurrency 1 --data-root "$work" >>"$work/workers.log" 2>&1) & pids+=($!); done
sleep 6

cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }                 # clock ticks, user + system
hwm() { awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; } # MiB
ticks=$(getconf CLK_TCK)
env -u LSTMW_BROKER -u LSTMW_Payloads__Directory $lstmw encode "$work/in.parquet" --model "$work/model.safetensors" \
    --out "$work/embedded.parquet" --outputs "$outputs" --device cpu >/dev/null 2>&1
for run in $(seq 0 "$reps"); do
    before=(); for pid in "${pids[@]}"; do before+=("$(cpu "$pid")"); done
    shards_before=(); for c in 1 2; do shards_before+=("$(grep -c 'shard [0-9]* committed' "$work/coordinator-$c.log" || true)"); done
    rm -rf "$work/out"
    if [ "$profile" = 1 ] && [ "$run" -eq "$reps" ]; then
        perf record -F 1999 -g -o "$work/perf.data" -p "${pids[0]},${pids[1]}" >/dev/null 2>&1 & perf_pid=$!
        sleep 1
    fi
    start=$(date +%s.%N)
    $lstmw encode "$work/in.parquet" --model "$work/model.safetensors" --out "$work/out/" --outputs "$outputs" \
        --rows-per-part "$part_rows" >/dev/null 2>&1
    wall=$(echo "$(date +%s.%N) - $start" | bc)
    [ -n "${perf_pid:-}" ] && { kill -INT "$perf_pid"; wait "$perf_pid" || true; }
    used=(); for i in "${!pids[@]}"; do used+=("$(echo "scale=2; ($(cpu "${pids[$i]}") - ${before[$i]}) / $ticks" | bc)"); done
    shards=(); for c in 1 2; do shards+=("$(( $(grep -c 'shard [0-9]* committed' "$work/coordinator-$c.log") - ${shards_before[$((c - 1))]} ))"); done
    coordinators=$(echo "${used[0]} + ${used[1]}" | bc) workers=$(echo "${used[2]} + ${used[3]}" | bc)
    label=$([ "$run" -eq 0 ] && echo "warm-up" || echo "run $run")
    echo "$label: wall ${wall} s; CPU s: coordinators ${used[0]} + ${used[1]}, workers ${used[2]} + ${used[3]};" \
        "coordinators ÷ workers = $(echo "scale=3; $coordinators / $workers" | bc); shards ${shards[0]} + ${shards[1]}"
done
echo "peak RSS MiB: coordinators $(hwm "${pids[0]}"), $(hwm "${pids[1]}"); workers $(hwm "${pids[2]}"), $(hwm "${pids[3]}")"
(cd tests/fixtures/parquet && node check_dataset.mjs "$work/out" "$work/embedded.parquet")
if [ "$profile" = 1 ]; then
    echo "profile of the coordinators in the last run:"
    kept=/tmp/lstmw-coordinators-profile && rm -rf "$kept" && mkdir -p "$kept"
    perf script -i "$work/perf.data" 2>/dev/null > "$kept/perf.txt"
    cp /tmp/perf-"${pids[0]}".map /tmp/perf-"${pids[1]}".map "$kept/"
    python3 tools/bench/perf_phases.py "$kept"/perf-*.map --top 6 < "$kept/perf.txt"
    echo "(samples and maps kept in $kept: perf_phases.py $kept/perf-*.map --callers PHASE < $kept/perf.txt)"
fi
