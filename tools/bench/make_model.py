#!/usr/bin/env python3
"""Writes a randomly initialised PyTorch LSTM encoder as safetensors, for benchmarks.

    /usr/bin/python3 tools/bench/make_model.py OUT.safetensors --vocab 1000 --embed 8 --hidden 16 [--layers 2] [--bidirectional]

With --vocab 0 there is no embedding and the input size is --embed (features). Debian's
python3-torch; fixed seed, so the same arguments give the same file.
"""
import argparse
import json
import struct

import torch


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--vocab", type=int, required=True)
    parser.add_argument("--embed", type=int, required=True)
    parser.add_argument("--hidden", type=int, required=True)
    parser.add_argument("--layers", type=int, default=1)
    parser.add_argument("--bidirectional", action="store_true")
    args = parser.parse_args()

    torch.manual_seed(0)
    module = torch.nn.Module()
    if args.vocab > 0:
        module.embedding = torch.nn.Embedding(args.vocab, args.embed)
    module.lstm = torch.nn.LSTM(args.embed, args.hidden, num_layers=args.layers, bidirectional=args.bidirectional)
    state = {k: v.detach().float().contiguous() for k, v in module.state_dict().items()}

    header, offset = {}, 0
    for name in sorted(state):
        size = 4 * state[name].numel()
        header[name] = {"dtype": "F32", "shape": list(state[name].shape), "data_offsets": [offset, offset + size]}
        offset += size
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(args.out, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(state[n].numpy().tobytes() for n in sorted(state)))


if __name__ == "__main__":
    main()
