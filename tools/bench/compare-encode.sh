#!/usr/bin/env bash
# Two builds of lstmw (e.g. the last commit and yours, each published with `dotnet publish src/LstmWorkers.Cli -c Release
# -r linux-x64 --self-contained false -o DIR`) on the same `lstmw encode`, alternating, REPS times each: wall time, CPU
# time, page faults (fresh memory) and peak RSS of every run, then each build's best, and whether both wrote the same bytes.
# This machine's fresh pages are expensive and their cost varies from run to run, so compare the builds within one run.
#   tools/bench/compare-encode.sh OLD_LSTMW NEW_LSTMW REPS INPUT MODEL [more lstmw encode options]
# e.g. tools/bench/compare-encode.sh /tmp/lstmw-old/lstmw /tmp/lstmw-new/lstmw 3 \
#        /tmp/lstmw-bench/W2x10.parquet /tmp/lstmw-bench/W2x10.safetensors --outputs h_n --device cpu
set -euo pipefail
[ $# -ge 5 ] || { sed -n 2,8p "$0"; exit 2; }
old=$1 new=$2 reps=$3 input=$4 model=$5
shift 5
work=$(mktemp -d /tmp/lstmw-compare.XXXXXX)
trap 'rm -rf "$work"' EXIT
run() { # NAME LSTMW [options]: one run, one line of figures; keeps the output as $work/NAME.parquet
    local name=$1 lstmw=$2
    shift 2
    rm -f "$work/out.parquet"
    /usr/bin/time -o "$work/time" -f "%e %U %S %R %M" "$lstmw" encode "$input" --model "$model" --out "$work/out.parquet" "$@" \
        > /dev/null 2> "$work/err" || { cat "$work/err"; exit 1; }
    mv "$work/out.parquet" "$work/$name.parquet"
    awk -v name="$name" '{ printf "%-4s %7.2f s wall  %6.2f s user  %6.2f s system  %9d page faults (%5.2f GB)  peak RSS %5.2f GB\n",
        name, $1, $2, $3, $4, $4 * 4096 / 1e9, $5 * 1024 / 1e9 }' "$work/time"
}
for ((i = 0; i < reps; i++)); do
    run old "$old" "$@" | tee -a "$work/old.log"
    run new "$new" "$@" | tee -a "$work/new.log"
done
for build in old new; do
    echo "$build best: $(sort -k2 -n "$work/$build.log" | head -1 | cut -c6-)"
done
cmp -s "$work/old.parquet" "$work/new.parquet" && echo "both wrote the same bytes" || { echo "the outputs differ"; exit 1; }
