#!/usr/bin/env python3
"""Times PyTorch's nn.LSTM on a benchmark workload written by tests/LstmWorkers.Benchmarks.

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tools/bench/time_torch.py DIR NAME [--reps 2] [--threads 2]

Reads DIR/NAME.safetensors, DIR/NAME_lengths.bin (int32, sorted decreasing) and DIR/NAME_data.bin
(sequence-major int32 tokens or float32 features), cuts the sequences into batches of the model
file's __metadata__.batch_size, and for each batch runs embedding -> pack_padded_sequence ->
nn.LSTM in inference mode, as `lstmw encode` is specified to. A warm-up runs the first (longest)
batch; then each repetition times the whole set. Prints one JSON line: {"seconds": [...],
"tokens": N, "torch": version, "threads": n}. Debian's python3-torch; OPENBLAS_NUM_THREADS=1
keeps OpenBLAS's own threads from oversubscribing the cores (see shared/FACTS.md).
"""
import argparse
import json
import os
import struct
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch.nn.utils.rnn import pack_padded_sequence  # noqa: E402


def read_safetensors(path):
    with open(path, "rb") as f:
        (size,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(size))
        data = f.read()
    meta = header.pop("__metadata__", {})
    tensors = {}
    for name, entry in header.items():
        begin, end = entry["data_offsets"]
        tensors[name] = torch.from_numpy(np.frombuffer(data[begin:end], dtype="<f4").reshape(entry["shape"]).copy())
    return tensors, meta


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir")
    parser.add_argument("name")
    parser.add_argument("--reps", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    tensors, meta = read_safetensors(os.path.join(args.dir, f"{args.name}.safetensors"))
    batch_size = int(meta.get("batch_size", 256))
    state = {k[len("lstm."):]: v for k, v in tensors.items() if k.startswith("lstm.")}
    layers = 1 + max(int(n.split("_l")[1].split("_")[0]) for n in state if n.startswith("weight_ih_l"))
    bidirectional = "weight_ih_l0_reverse" in state
    hidden = state["weight_hh_l0"].shape[1]
    input_size = state["weight_ih_l0"].shape[1]
    lstm = torch.nn.LSTM(input_size, hidden, num_layers=layers, bidirectional=bidirectional, bias="bias_ih_l0" in state)
    lstm.load_state_dict(state)
    lstm.eval()
    embedding = None
    if "embedding.weight" in tensors:
        embedding = torch.nn.Embedding.from_pretrained(tensors["embedding.weight"])

    lengths = np.fromfile(os.path.join(args.dir, f"{args.name}_lengths.bin"), dtype="<i4")
    raw = np.fromfile(os.path.join(args.dir, f"{args.name}_data.bin"), dtype="<i4" if embedding is not None else "<f4")
    if embedding is None:
        raw = raw.reshape(-1, input_size)
    starts = np.concatenate([[0], np.cumsum(lengths)])

    batches = []
    for first in range(0, len(lengths), batch_size):
        count = min(batch_size, len(lengths) - first)
        longest = int(lengths[first])
        if embedding is not None:
            padded = torch.zeros(count, longest, dtype=torch.long)
        else:
            padded = torch.zeros(count, longest, input_size)
        for j in range(count):
            s = first + j
            padded[j, : lengths[s]] = torch.from_numpy(raw[starts[s]: starts[s + 1]].astype(np.int64) if embedding is not None
                                                        else raw[starts[s]: starts[s + 1]])
        batches.append((padded, torch.from_numpy(lengths[first: first + count].astype(np.int64))))

    def run(batch):
        padded, batch_lengths = batch
        x = embedding(padded) if embedding is not None else padded
        packed = pack_padded_sequence(x, batch_lengths, batch_first=True, enforce_sorted=True)
        return lstm(packed)

    seconds = []
    with torch.inference_mode():
        run(batches[0])
        for _ in range(args.reps):
            start = time.perf_counter()
            for batch in batches:
                run(batch)
            seconds.append(time.perf_counter() - start)
    print(json.dumps({"seconds": seconds, "tokens": int(lengths.sum()), "torch": torch.__version__,
                      "threads": torch.get_num_threads(), "openblas_threads": os.environ.get("OPENBLAS_NUM_THREADS")}))


if __name__ == "__main__":
    main()
