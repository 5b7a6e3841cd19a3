#!/usr/bin/env python3
"""PyTorch/cuDNN on the gpu-check workloads, with the same model and data as the ILGPU side.

Reads DIR/{W1,W2}.safetensors and DIR/{W1,W2}_lengths.bin written by the GpuCheck console
(the safetensors format is parsed here by hand: no safetensors package needed), regenerates
the tokens/features from the same integer hash as Workload.cs, and times nn.LSTM (fp32, eval,
pack_padded_sequence, batches of sorted sequences, 256 unless the
model file's metadata says otherwise) in three modes:
  fp32        torch.backends.cudnn.allow_tf32 = False (the same arithmetic as the ILGPU kernels)
  tf32        allow_tf32 = True (PyTorch's default for cuDNN)
  fp32+d2h    fp32, plus copying output, h_n and c_n to the host (as the ILGPU runner does)
Inputs are staged on the device before timing. Also compares batch 0's h_n with the ILGPU one
(DIR/{W}_hn0.bin) when present.

usage: cudnn_bench.py --dir DIR [--device cuda|cpu] [--passes 3]
"""
import argparse
import json
import struct
import time

import numpy as np
import torch


def read_safetensors(path):
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    tensors = {}
    metadata = header.get("__metadata__", {})
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        assert entry["dtype"] == "F32", entry
        begin, end = entry["data_offsets"]
        tensors[name] = torch.from_numpy(np.frombuffer(data[begin:end], dtype="<f4").reshape(entry["shape"]).copy())
    return tensors, metadata


def mix(key):
    """The 64-bit mixer of Workload.Mix, on uint64 arrays (wrapping arithmetic)."""
    with np.errstate(over="ignore"):
        h = key * np.uint64(0x9E3779B97F4A7C15)
        h ^= h >> np.uint64(32)
        h *= np.uint64(0xD6E8FEB86659FD93)
        return h ^ (h >> np.uint64(32))


def batch_inputs(first, lengths, vocab, input_size):
    """Padded [B, T] tokens (int64) or [B, T, I] features (float32) for sequences first.. first+B-1."""
    b, t = len(lengths), int(lengths[0])
    seq = np.arange(first, first + b, dtype=np.uint64)[:, None]
    step = np.arange(t, dtype=np.uint64)[None, :]
    key = seq * np.uint64(65536) + step
    if vocab > 0:
        return torch.from_numpy((mix(key) % np.uint64(vocab)).astype(np.int64))
    k = np.arange(input_size, dtype=np.uint64)[None, None, :]
    h = mix(key[:, :, None] * np.uint64(input_size) + k)
    return torch.from_numpy(((h >> np.uint64(16)) & np.uint64(0xFFFF)).astype(np.float32) / np.float32(32768) - np.float32(1))


class Encoder(torch.nn.Module):
    def __init__(self, tensors):
        super().__init__()
        names = [n for n in tensors if n.startswith("lstm.weight_ih_l")]
        layers = len({n.split("_l")[1].split("_")[0] for n in names})
        hidden = tensors["lstm.weight_hh_l0"].shape[1]
        input_size = tensors["lstm.weight_ih_l0"].shape[1]
        bidirectional = "lstm.weight_ih_l0_reverse" in tensors
        self.embedding = None
        if "embedding.weight" in tensors:
            v, e = tensors["embedding.weight"].shape
            self.embedding = torch.nn.Embedding(v, e)
        self.lstm = torch.nn.LSTM(input_size, hidden, num_layers=layers, bidirectional=bidirectional, batch_first=True)
        self.load_state_dict(tensors)

    def forward(self, x, lengths):
        if self.embedding is not None:
            x = self.embedding(x)
        packed = torch.nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=True)
        out, (h, c) = self.lstm(packed)
        return out.data, h, c


def run(name, directory, device, passes):
    tensors, metadata = read_safetensors(f"{directory}/{name}.safetensors")
    batch_size = int(metadata.get("batch_size", 256))
    lengths = np.fromfile(f"{directory}/{name}_lengths.bin", dtype="<i4")
    model = Encoder(tensors).to(device).eval()
    vocab = model.embedding.num_embeddings if model.embedding is not None else 0
    input_size = model.lstm.input_size
    batches = []
    for first in range(0, len(lengths), batch_size):
        ls = lengths[first:first + batch_size]
        batches.append((batch_inputs(first, ls, vocab, input_size).to(device), torch.from_numpy(ls.astype(np.int64))))
    tokens = int(lengths.sum())
    flop = 2 * sum(
        (2 if model.lstm.bidirectional else 1) * 4 * model.lstm.hidden_size * ((model.lstm.input_size if k == 0 else
         (2 if model.lstm.bidirectional else 1) * model.lstm.hidden_size) + model.lstm.hidden_size)
        for k in range(model.lstm.num_layers))
    lines = []
    with torch.no_grad():
        for mode in ("fp32", "tf32", "fp32+d2h"):
            torch.backends.cudnn.allow_tf32 = mode == "tf32"
            torch.backends.cuda.matmul.allow_tf32 = mode == "tf32"
            for x, ls in batches[:2]:
                model(x, ls)
            times = []
            for _ in range(passes):
                sync(device)
                start = time.perf_counter()
                for x, ls in batches:
                    out, h, c = model(x, ls)
                    if mode == "fp32+d2h":
                        out.cpu(), h.cpu(), c.cpu()
                sync(device)
                times.append(time.perf_counter() - start)
            seconds = sorted(times)[len(times) // 2]
            lines.append(f"{name} torch {device} {mode:<9}: {tokens / seconds:14,.0f} tokens/s {seconds * 1e3:9.1f} ms/pass "
                         f"{tokens * flop / seconds / 1e9:9.1f} GFLOP/s")
            print(lines[-1], flush=True)
        torch.backends.cudnn.allow_tf32 = False
        torch.backends.cuda.matmul.allow_tf32 = False
        try:
            ilgpu = np.fromfile(f"{directory}/{name}_hn0.bin", dtype="<f4")
            _, h, _ = model(*batches[0])
            diff = float(np.abs(h.double().cpu().numpy().ravel() - ilgpu.astype(np.float64)).max())
            lines.append(f"{name} batch 0 h_n: max |ILGPU - torch fp32| = {diff:.2e}")
            print(lines[-1], flush=True)
        except FileNotFoundError:
            pass
    return lines


def sync(device):
    if device == "cuda":
        torch.cuda.synchronize()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--passes", type=int, default=3)
    args = parser.parse_args()
    if args.device == "cuda":
        print(f"torch {torch.__version__}, cuDNN {torch.backends.cudnn.version()}, {torch.cuda.get_device_name(0)}", flush=True)
    lines = []
    for name in ("W1", "W2"):
        lines += run(name, args.dir, args.device, args.passes)
    with open(f"{args.dir}/torch_results.txt", "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
