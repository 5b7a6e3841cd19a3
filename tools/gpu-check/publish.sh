#!/usr/bin/env bash
# Builds the self-contained linux-x64 GpuCheck console into .publish/gpu-check.tar.gz (no .NET needed where it runs).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$root/.publish/gpu-check"
dotnet publish "$root/tools/gpu-check/GpuCheck" -c Release -r linux-x64 --self-contained -o "$root/.publish/gpu-check" -p:DebugType=none
tar -czf "$root/.publish/gpu-check.tar.gz" -C "$root/.publish/gpu-check" .
rm -rf "$root/.publish/gpu-check"
ls -la "$root/.publish/gpu-check.tar.gz"
