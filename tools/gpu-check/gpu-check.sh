#!/usr/bin/env bash
# GPU check of the ILGPU backend on a machine with an NVIDIA GPU, CUDA and PyTorch but no .NET.
#
#   here (with .NET):  tools/gpu-check/publish.sh        # → .publish/gpu-check.tar.gz (self-contained linux-x64)
#   there:             bash tools/gpu-check/gpu-check.sh [OUT_DIR]
#
# 1. the ILGPU CUDA backend against every PyTorch fixture (tests/fixtures, float64 truth),
# 2. W1/W2 (docs/KERNELS.md) through the CUDA backend: max |err| against CpuLstmRunner and tokens/s,
#    for cuBLAS/tiled input projection and tiled/naive recurrent step,
# 3. PyTorch/cuDNN on the same model files and data (cudnn_bench.py): tokens/s (fp32, tf32, with d2h)
#    and batch 0's h_n against the ILGPU one.
# Everything is logged to OUT_DIR/gpu-check.log (default $OUT, else /tmp/gpu-check-out).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-${OUT:-/tmp/gpu-check-out}}
archive=${GPU_CHECK_ARCHIVE:-$root/.publish/gpu-check.tar.gz}
mkdir -p "$out"
exec > >(tee -a "$out/gpu-check.log") 2>&1

echo "== gpu-check $(date -u +%Y-%m-%dT%H:%M:%SZ)"
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv || echo "nvidia-smi failed"

work=$(mktemp -d)
tar -xzf "$archive" -C "$work" || { echo "cannot unpack $archive (build it with tools/gpu-check/publish.sh)"; exit 2; }

# ILGPU 1.5.3 dlopens "cuda" (libcuda.so) and libcublas.so.10/11/12 by those exact names. Give it
# the driver's libcuda.so.1 and whatever libcublas.so.N is installed (the SGEMM ABI is unchanged).
shim="$work/shim"
mkdir -p "$shim"
libcuda=$(ldconfig -p | awk '/libcuda\.so\.1 /{print $NF; exit}')
[ -n "$libcuda" ] && ln -sf "$libcuda" "$shim/libcuda.so"
cublas_dir=$(${PYTHON:-python3} -c "import nvidia.cublas, os; print(os.path.join(list(nvidia.cublas.__path__)[0], 'lib'))" 2>/dev/null || true)
libcublas=$(ls "$cublas_dir"/libcublas.so.* 2>/dev/null | grep -v Lt | head -1)
[ -z "$libcublas" ] && libcublas=$(ldconfig -p | awk '/libcublas\.so\.[0-9]+ /{print $NF; exit}')
if [ -n "$libcublas" ]; then
  ln -sf "$libcublas" "$shim/libcublas.so.12"
  echo "libcuda: ${libcuda:-none}; cuBLAS shim: libcublas.so.12 -> $libcublas"
else
  echo "libcuda: ${libcuda:-none}; no libcublas found: the tiled GEMM will be used"
fi
export LD_LIBRARY_PATH="$shim:${cublas_dir:-}:${LD_LIBRARY_PATH:-}"
export DOTNET_gcServer=0
python=${PYTHON:-python3}

echo "== ILGPU (CUDA) backend"
start=$(date +%s)
"$work/gpu-check" --device "${GPU_CHECK_DEVICE:-cuda}" --fixtures "$root/tests/fixtures" --out "$out" ${GPU_CHECK_ARGS:-}
ilgpu_rc=$?
echo "ILGPU side exit code $ilgpu_rc after $(( $(date +%s) - start )) s"

echo "== PyTorch / cuDNN"
start=$(date +%s)
PYTHONUNBUFFERED=1 "$python" "$here/cudnn_bench.py" --dir "$out" --device "${TORCH_DEVICE:-cuda}" --passes "${TORCH_PASSES:-3}"
torch_rc=$?
echo "PyTorch side exit code $torch_rc after $(( $(date +%s) - start )) s"

echo "== summary"
cat "$out/ilgpu_results.txt" "$out/torch_results.txt" 2>/dev/null
rm -f "$out"/*.safetensors "$out"/*.bin
rm -rf "$work"
exit $(( ilgpu_rc != 0 || torch_rc != 0 ))
