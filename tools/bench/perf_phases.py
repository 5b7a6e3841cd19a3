#!/usr/bin/env python3
"""Sums a `perf record -g` profile of `lstmw encode` into the phases of a job.

Reads `perf script` output on stdin and the runtime's perf map (DOTNET_PerfMapEnabled=1 writes
/tmp/perf-PID.map; run with DOTNET_ReadyToRun=0 so every method is JIT-compiled and named there).
Each sample goes to the phase of the innermost managed frame that a rule below names, so kernel
time (page faults, clearing fresh pages), memmove and the runtime's allocation and GC count for the
code that caused them; a sample with the JIT anywhere on its stack is JIT, one with no named managed
frame goes by its native frames.

usage: perf script -i perf.data | perf_phases.py /tmp/perf-PID.map... [--top N] [--callers PHASE]
(one map per sampled process; each sample is resolved with the map of its process id; --callers lists, for the
samples of PHASE, the innermost and outermost managed frames, e.g. which methods the JIT was compiling for)
"""

import bisect
import collections
import re
import sys

JIT = re.compile(r"libclrjit\.so")
READER = re.compile(r"LstmWorkers\.Data\.Input")
MANAGED_FRAME = re.compile(r"\[(?!unknown\])[\w.]+\] ")

# (phase, pattern on the frame's name); the first rule that matches a frame, innermost frame first, wins.
MANAGED = [
    ("LSTM kernels", r"LstmWorkers\.Core\.Lstm|\[LstmWorkers\.Core\] LstmWorkers\.Core\.Lstm"),
    ("packing batches", r"LstmWorkers\.Core\.Packing|LstmWorkers\.Coordinator\.Planning"),
    ("reading: our page decoder", r"LstmWorkers\.Data\.Input\.Pages"),
    ("Parquet.Net", r"\[Parquet\]"),  # reading or writing, by what called it
    ("reading: rows, levels, checks", r"LstmWorkers\.Data\.Input"),
    ("payloads", r"LstmWorkers\.Contracts\.Payloads"),
    ("writing: results into columns", r"LstmWorkers\.Data\.Output|LstmWorkers\.Coordinator\.(Jobs|Datasets)\.\w*(Sink|Output|Results|Chunk)"),
    ("coordinator: other", r"LstmWorkers\.Coordinator"),
    ("worker: other", r"LstmWorkers\.Worker"),
    ("MassTransit", r"\[MassTransit"),
    ("host and command line", r"Microsoft\.Extensions|System\.CommandLine|LstmWorkers\.Cli|LstmWorkers\.Hosting"),
]
NATIVE = [
    ("runtime (GC threads, type loading, stubs, start-up)", r"libcoreclr\.so|libhostfxr|libhostpolicy|ld-linux|libSystem\.Native|stub "),
]
MANAGED_RULES = [(phase, re.compile(pattern)) for phase, pattern in MANAGED]
NATIVE_RULES = [(phase, re.compile(pattern)) for phase, pattern in NATIVE]


def load_map(path):
    entries = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.rstrip("\n").split(" ", 2)
            if len(parts) == 3:
                start, size = int(parts[0], 16), int(parts[1], 16)
                entries.append((start, size, parts[2]))
    entries.sort()
    return [e[0] for e in entries], entries


def resolve(address, symbol, dso, perf_map):
    if symbol != "[unknown]" or perf_map is None:
        return f"{symbol} ({dso})"
    starts, entries = perf_map
    i = bisect.bisect_right(starts, address) - 1
    if i >= 0 and address < entries[i][0] + entries[i][1]:
        return entries[i][2]
    return f"[unknown] ({dso})"


FRAME = re.compile(r"^\s+([0-9a-f]+) (.+?) \((.*)\)$")


HEADER = re.compile(r"^\S.*?\s(\d+)\s+\d+\.\d+:")


def samples(stream, maps):
    frames, perf_map = None, None
    for line in stream:
        if not line.strip():
            if frames:
                yield frames
            frames = None
        elif not line[0].isspace():
            frames = []
            m = HEADER.match(line)
            pid = int(m.group(1)) if m else None
            perf_map = maps.get(pid) or (next(iter(maps.values())) if len(maps) == 1 else None)
        elif frames is not None:
            m = FRAME.match(line)
            if m:
                symbol = re.sub(r"\+0x[0-9a-f]+$", "", m.group(2))
                frames.append((resolve(int(m.group(1), 16), symbol, m.group(3), perf_map), "kernel.kallsyms" in m.group(3)))
    if frames:
        yield frames


def phase_of(frames):
    for name, _ in frames:
        if JIT.search(name):
            return "JIT", name
    for rules in (MANAGED_RULES, NATIVE_RULES):
        for name, _ in frames:
            for phase, pattern in rules:
                if pattern.search(name):
                    if phase == "Parquet.Net":
                        reading = any(READER.search(caller) for caller, _ in frames)
                        phase = "reading: Parquet.Net" if reading else "writing: Parquet.Net"
                    return phase, name
    return "other", frames[0][0] if frames else "?"


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    args = sys.argv[1:]
    top, callers = 3, None
    if "--top" in args:
        i = args.index("--top")
        top = int(args[i + 1])
        del args[i:i + 2]
    if "--callers" in args:
        i = args.index("--callers")
        callers = args[i + 1]
        del args[i:i + 2]
    maps = {}
    for path in args:
        pid = re.search(r"perf-(\d+)\.map$", path)
        maps[int(pid.group(1)) if pid else None] = load_map(path)
    count, kernel = collections.Counter(), collections.Counter()
    frames_by_phase = collections.defaultdict(collections.Counter)
    total = 0
    for frames in samples(sys.stdin, maps):
        phase, frame = phase_of(frames)
        total += 1
        count[phase] += 1
        kernel[phase] += frames[0][1]
        if callers is not None and phase == callers:
            managed = [name for name, _ in frames if MANAGED_FRAME.search(name)]
            frame = f"{managed[0][:110]}  <-  {managed[-1][:110]}" if managed else "(no managed frame)"
        frames_by_phase[phase][re.sub(r"\[(Optimized|Quick|Tier|Instrumented)\w*\]$", "", frame)[:230]] += 1
    if total == 0:
        sys.exit("no samples")
    print(f"{total} samples; share of all samples, and of each phase the share spent in the kernel (mostly page faults)")
    print(f"{'phase':42} {'share':>7} {'kernel':>7}")
    for phase, n in count.most_common():
        if callers is not None and phase != callers:
            continue
        print(f"{phase:42} {100 * n / total:6.1f}% {100 * kernel[phase] / n:6.0f}%")
        for frame, m in frames_by_phase[phase].most_common(top if callers is None else 40):
            print(f"    {100 * m / total:5.1f}%  {frame}")


if __name__ == "__main__":
    main()
