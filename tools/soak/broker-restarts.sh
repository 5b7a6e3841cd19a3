#!/usr/bin/env bash
# Soak test of the cluster through broker restarts, against real processes: a coordinator, two workers and
# `lstmw encode --broker` on the bundled sample in a fresh virtual host, the broker restarted DELAY seconds after the
# client starts: rabbitmqctl stop_app, start_app. With ALARM=1 (the default) every role's sends first wait for their
# confirmation: a memory alarm (a high watermark of almost nothing) blocks the publishers for three seconds before the
# stop (start_app restores the watermark). Cycles through DELAYS (seconds, default "1 2 3"; "0.5 1 1.5" with ALARM=0
# restarts the broker while the client's bus is still starting), ROUNDS runs in all, and prints one line per run; a run
# whose client does not exit 0 within 5 minutes prints its queues and the end of its output, and keeps its directory
# under /tmp/lstmw-soak for a look (e.g. `dotnet-stack report -p PID` while it hangs).
#
#   [ALARM=0|1] tools/soak/broker-restarts.sh [ROUNDS] [DELAYS]   # needs a running RabbitMQ (guest on localhost) and a
#                                                                 # Debug build of tests/LstmWorkers.Cli.Tests (lstmw.dll)
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="$root/tests/LstmWorkers.Cli.Tests/bin/Debug/net10.0"
rounds="${1:-12}"
read -r -a delays <<<"${2:-1 2 3}"
alarm="${ALARM:-1}"
[ -f "$bin/lstmw.dll" ] || { echo "build tests/LstmWorkers.Cli.Tests first" >&2; exit 2; }

run_once() { # run_once NAME DELAY
    local vhost="lstmw-soak-$1" dir="/tmp/lstmw-soak/$1"
    rm -rf "$dir" && mkdir -p "$dir/data" "$dir/state"
    cp "$root/samples/sequences.parquet" "$root/samples/model.safetensors" "$dir/data/"
    rabbitmqctl -q add_vhost "$vhost" && rabbitmqctl -q set_permissions -p "$vhost" guest '.*' '.*' '.*'
    local broker="amqp://guest:guest@localhost:5672/$vhost"
    export LSTMW_Coordinator__MaxBatchRows=16 LSTMW_Coordinator__WindowRows=250 LSTMW_Coordinator__BatchTimeout=00:00:05 \
        LSTMW_Coordinator__BatchAttempts=12 LSTMW_Payloads__Directory="$dir/data/payloads" LSTMW_Payloads__InlineBytes=1024
    cd "$dir/data" || return
    dotnet "$bin/lstmw.dll" coordinator --broker "$broker" --state-dir "$dir/state" --data-root "$dir/data" >"$dir/coordinator.log" 2>&1 &
    local roles=($!)
    for w in 1 2; do
        dotnet "$bin/lstmw.dll" worker --broker "$broker" --data-root "$dir/data" >"$dir/worker-$w.log" 2>&1 &
        roles+=($!)
    done
    sleep 6
    timeout 300 dotnet "$bin/lstmw.dll" encode sequences.parquet --model model.safetensors --out out.parquet --broker "$broker" \
        >"$dir/client.log" 2>&1 &
    local client=$!
    sleep "$2"
    if [ "$alarm" = 1 ]; then
        rabbitmqctl -q set_vm_memory_high_watermark 0.0000001 && sleep 3
    fi
    rabbitmqctl -q stop_app && rabbitmqctl -q start_app
    wait "$client"
    local rc=$?
    echo "run $1: restart after ${2} s: client exit $rc"
    if [ "$rc" -ne 0 ]; then
        rabbitmqctl -q list_queues -p "$vhost" name messages_ready messages_unacknowledged consumers
        tail -n 5 "$dir/client.log"
    fi
    kill "${roles[@]}" 2>/dev/null
    wait 2>/dev/null
    rabbitmqctl -q delete_vhost "$vhost"
    cd "$root" && { [ "$rc" -ne 0 ] || rm -rf "$dir"; }
    return "$rc"
}

failed=0
for i in $(seq 1 "$rounds"); do
    run_once "$i" "${delays[$(( (i - 1) % ${#delays[@]} ))]}" || failed=$((failed + 1))
done
echo "$failed of $rounds runs failed"
[ "$failed" -eq 0 ]
