#!/usr/bin/env bash
# The cluster's overhead on one machine: the same dataset encoded embedded (one process, two
# concurrent batches) and by a coordinator and two worker processes (one batch each) over a
# local RabbitMQ, alternating, REPS times each. Prints each time, the medians and their ratio,
# and checks that both runs wrote the same bytes. Needs a running rabbitmq-server (as root).
#   tools/bench/cluster-overhead.sh [ROWS] [MAX_LENGTH] [OUTPUTS] [REPS]
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=${1:-20000} max_length=${2:-64} outputs=${3:-h_n} reps=${4:-3}
work=$(mktemp -d /tmp/lstmw-cluster-bench.XXXXXX)
state=$(mktemp -d /tmp/lstmw-cluster-bench-state.XXXXXX) # outside the data root, as the coordinator requires
vhost="lstmw-bench-$$"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rabbitmqctl -q delete_vhost "$vhost" >/dev/null 2>&1 || true
    rm -rf "$work" "$state"
}
trap cleanup EXIT

dotnet build -c Release src/LstmWorkers.Cli >/dev/null
lstmw="dotnet $PWD/src/LstmWorkers.Cli/bin/Release/net10.0/lstmw.dll"
node tools/bench/make_rows.mjs "$work/in.parquet" "$rows" "$max_length" 1000 >/dev/null
cp samples/model.safetensors "$work/"
rabbitmqctl -q add_vhost "$vhost" && rabbitmqctl -q set_permissions -p "$vhost" guest '.*' '.*' '.*'
export LSTMW_BROKER="amqp://guest:guest@localhost:5672/$vhost" LSTMW_Payloads__Directory="$work/payloads"

(cd "$work" && exec $lstmw coordinator --state-dir "$state" --data-root "$work" >"$work/coordinator.log" 2>&1) & pids+=($!)
for _ in 1 2; do (exec $lstmw worker --device cpu --concurrency 1 --data-root "$work" >>"$work/workers.log" 2>&1) & pids+=($!); done
sleep 5

seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null 2>&1; end=$(date +%s.%N); echo "$end - $start" | bc; }
embedded=() cluster=()
for rep in $(seq 1 "$reps"); do
    embedded+=("$(seconds env -u LSTMW_BROKER -u LSTMW_Payloads__Directory $lstmw encode "$work/in.parquet" --model "$work/model.safetensors" --out "$work/embedded.parquet" --outputs "$outputs" --device cpu --workers 2)")
    cluster+=("$(seconds $lstmw encode "$work/in.parquet" --model "$work/model.safetensors" --out "$work/cluster.parquet" --outputs "$outputs")")
    echo "rep $rep: embedded ${embedded[-1]} s, cluster ${cluster[-1]} s"
done
cmp "$work/embedded.parquet" "$work/cluster.parquet" && echo "outputs identical"
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
me=$(median "${embedded[@]}") mc=$(median "${cluster[@]}")
echo "median: embedded $me s, cluster $mc s, cluster/embedded time = $(echo "scale=3; $mc / $me" | bc)"
