#!/usr/bin/env python3
"""Writes the bundled sample: a PyTorch text encoder and 2,000 token sequences.

    /usr/bin/python3 samples/make_sample.py
    node tests/fixtures/parquet/write_duckdb_fixtures.mjs --from-json /tmp/sequences.json /tmp/sequences
    mv /tmp/sequences.snappy.duckdb.parquet samples/sequences.parquet

Needs Debian's python3-torch; deterministic (fixed seed). The JSON goes to /tmp; DuckDB turns
it into Parquet, which `lstmw encode` reads like any user dataset.
"""
import json
import pathlib
import struct

import numpy as np
import torch

HERE = pathlib.Path(__file__).resolve().parent
VOCAB, EMBED, HIDDEN, LAYERS, ROWS = 1000, 32, 48, 2, 2000


class TextEncoder(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = torch.nn.Embedding(VOCAB, EMBED, padding_idx=0)
        self.lstm = torch.nn.LSTM(EMBED, HIDDEN, num_layers=LAYERS, bidirectional=True, batch_first=True)


def save_safetensors(tensors, path):
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        data = tensors[name].detach().contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    path.write_bytes(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def main():
    torch.manual_seed(2026)
    save_safetensors(TextEncoder().state_dict(), HERE / "model.safetensors")
    rng = np.random.default_rng(2026)
    lengths = np.clip(np.round(rng.lognormal(np.log(20), 0.6, ROWS)), 0, 120).astype(int)
    rows = [{"id": 100_000 + i, "tokens": rng.integers(1, VOCAB, int(n)).tolist()} for i, n in enumerate(lengths)]
    dataset = {"id_type": "int64", "sequence_column": "tokens", "input_size": EMBED, "rows": rows}
    pathlib.Path("/tmp/sequences.json").write_text(json.dumps(dataset, separators=(",", ":")))


if __name__ == "__main__":
    main()
