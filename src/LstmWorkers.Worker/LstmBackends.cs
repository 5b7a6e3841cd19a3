using LstmWorkers.Core.Lstm;
using LstmWorkers.Core.Lstm.Cpu;
using LstmWorkers.Kernels;

namespace LstmWorkers.Worker;

/// <summary>Chooses the LSTM backend for <c>--device</c>.</summary>
public static class LstmBackends
{
    public static readonly string[] DeviceNames = ["auto", "cpu", "ilgpu-cpu", "opencl", "cuda"];

    /// <summary>
    /// The backend for <paramref name="device"/> and a sentence saying why it was chosen:
    /// <c>cpu</c> is the managed SIMD path; <c>auto</c> takes a CUDA or OpenCL GPU when ILGPU finds
    /// one and falls back to <c>cpu</c>; a named ILGPU device that cannot be opened is an error.
    /// </summary>
    /// <param name="cpu">Settings of the <c>cpu</c> backend (defaults when null).</param>
    public static (ILstmBackend Backend, string Reason) Create(string device, CpuLstmOptions? cpu = null)
    {
        switch (device)
        {
            case "cpu":
                return (new CpuLstmBackend(cpu ?? new()), "--device cpu");
            case "auto":
                return IlgpuBackends.TryCreate("auto", out var gpu, out string reason)
                    ? (gpu, reason)
                    : (new CpuLstmBackend(cpu ?? new()), $"{reason}; using the CPU");
            case "ilgpu-cpu" or "opencl" or "cuda":
                return IlgpuBackends.TryCreate(device, out var backend, out string why)
                    ? (backend, why)
                    : throw new ArgumentException($"--device {device} is not available: {why}");
            default:
                throw new ArgumentException($"unknown device '{device}'; use one of: {string.Join(", ", DeviceNames)}");
        }
    }
}
