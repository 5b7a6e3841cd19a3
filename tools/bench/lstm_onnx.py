#!/usr/bin/env python3
"""Writes an LSTM encoder (safetensors, PyTorch names) as an ONNX graph of ONNX's own LSTM op.

    /usr/bin/python3 tools/bench/lstm_onnx.py MODEL.safetensors OUT.onnx [--features]

The graph is what ONNX Runtime runs in the CPU benchmark (tests/LstmWorkers.Benchmarks):

    inputs   tokens int64 [T, B] (with embedding.weight) or x float [T, B, I]; sequence_lens int32 [B]
    layer k  LSTM(X_k, W, R, B, sequence_lens) -> Y [T, D, B, H], Y_h, Y_c [D, B, H]
             X_{k+1} = Reshape(Transpose(Y, [0, 2, 1, 3]), [T, B, D*H])
    outputs  h_n, c_n [L*D, B, H] (Y_h / Y_c of every layer, concatenated); the last layer's Y is
             not asked for, matching `lstmw encode --outputs h_n,c_n`

With --features the embedding stays out of the graph (input x float [T, B, E], embedded by the
caller): a much smaller file, for machines the model must be copied to.

The graph is written directly with onnx.helper (no torch.onnx.export), so it has no baked
initial state and any T and B run. PyTorch's gate order (i, f, g, o) becomes ONNX's (i, o, f, c).
Needs Debian's python3-onnx (and python3-numpy); proj_size is not supported (ONNX's LSTM has none).
"""
import json
import struct
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def read_safetensors(path):
    with open(path, "rb") as f:
        (size,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(size))
        data = f.read()
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        if entry["dtype"] != "F32":
            raise SystemExit(f"{name}: only F32 is supported here, got {entry['dtype']}")
        begin, end = entry["data_offsets"]
        tensors[name] = np.frombuffer(data[begin:end], dtype="<f4").reshape(entry["shape"])
    return {name[len("lstm."):] if name.startswith("lstm.") else name: t for name, t in tensors.items()}


def onnx_gates(w):
    """Reorders PyTorch's [i; f; g; o] rows (4H on axis 0) into ONNX's [i; o; f; c]."""
    i, f, g, o = np.split(w, 4, axis=0)
    return np.concatenate([i, o, f, g], axis=0)


def main():
    args = [a for a in sys.argv[1:] if a != "--features"]
    if len(args) != 2:
        raise SystemExit(__doc__)
    source, target = args
    tensors = read_safetensors(source)
    if "--features" in sys.argv:
        tensors.pop("embedding.weight", None)
    layers = 1 + max(int(n.split("_l")[1].split("_")[0]) for n in tensors if n.startswith("weight_ih_l"))
    directions = 2 if "weight_ih_l0_reverse" in tensors else 1
    hidden = tensors["weight_hh_l0"].shape[1]
    if any(n.startswith("weight_hr") for n in tensors):
        raise SystemExit("proj_size has no ONNX LSTM equivalent")

    nodes, initializers, outputs_h, outputs_c = [], [], [], []
    embedding = tensors.get("embedding.weight")
    if embedding is not None:
        graph_inputs = [helper.make_tensor_value_info("tokens", TensorProto.INT64, ["T", "B"])]
        initializers.append(numpy_helper.from_array(np.ascontiguousarray(embedding), "embedding"))
        nodes.append(helper.make_node("Gather", ["embedding", "tokens"], ["x0"], axis=0))
        x = "x0"
    else:
        graph_inputs = [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["T", "B", tensors["weight_ih_l0"].shape[1]])]
        x = "x"
    graph_inputs.append(helper.make_tensor_value_info("sequence_lens", TensorProto.INT32, ["B"]))
    if layers > 1:
        initializers.append(numpy_helper.from_array(np.array([0, 0, -1], dtype=np.int64), "shape_tb_"))

    for layer in range(layers):
        suffixes = [""] + (["_reverse"] if directions == 2 else [])
        w = np.stack([onnx_gates(tensors[f"weight_ih_l{layer}{s}"]) for s in suffixes])
        r = np.stack([onnx_gates(tensors[f"weight_hh_l{layer}{s}"]) for s in suffixes])
        names = [f"W{layer}", f"R{layer}"]
        initializers += [numpy_helper.from_array(w, names[0]), numpy_helper.from_array(r, names[1])]
        if f"bias_ih_l{layer}" in tensors:
            b = np.stack([np.concatenate([onnx_gates(tensors[f"bias_ih_l{layer}{s}"]), onnx_gates(tensors[f"bias_hh_l{layer}{s}"])])
                          for s in suffixes])
            initializers.append(numpy_helper.from_array(b, f"B{layer}"))
            names.append(f"B{layer}")
        else:
            names.append("")
        last = layer == layers - 1
        y = "" if last else f"y{layer}"
        nodes.append(helper.make_node("LSTM", [x, *names, "sequence_lens"], [y, f"h{layer}", f"c{layer}"],
                                      hidden_size=hidden, direction="bidirectional" if directions == 2 else "forward"))
        outputs_h.append(f"h{layer}")
        outputs_c.append(f"c{layer}")
        if not last:
            nodes.append(helper.make_node("Transpose", [y], [f"yt{layer}"], perm=[0, 2, 1, 3]))
            nodes.append(helper.make_node("Reshape", [f"yt{layer}", "shape_tb_"], [f"x{layer + 1}"]))
            x = f"x{layer + 1}"

    nodes.append(helper.make_node("Concat", outputs_h, ["h_n"], axis=0))
    nodes.append(helper.make_node("Concat", outputs_c, ["c_n"], axis=0))
    graph = helper.make_graph(
        nodes, "lstm_encoder", graph_inputs,
        [helper.make_tensor_value_info("h_n", TensorProto.FLOAT, [layers * directions, "B", hidden]),
         helper.make_tensor_value_info("c_n", TensorProto.FLOAT, [layers * directions, "B", hidden])],
        initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)], producer_name="lstmworkers-bench")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, target)
    print(f"wrote {target}: {layers} layer(s), {directions} direction(s), hidden {hidden}")


if __name__ == "__main__":
    main()
