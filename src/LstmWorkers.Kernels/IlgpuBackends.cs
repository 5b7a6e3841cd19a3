using System.Diagnostics.CodeAnalysis;
using LstmWorkers.Kernels.Devices;
using LstmWorkers.Kernels.Runners;

namespace LstmWorkers.Kernels;

/// <summary>
/// The worker's entry point to the ILGPU backend: <c>--device auto|ilgpu-cpu|opencl|cuda</c>.
/// (<c>cpu</c> is the managed <c>CpuLstmBackend</c> in Core, not this.)
/// </summary>
public static class IlgpuBackends
{
    /// <summary>The device names <see cref="TryCreate(string, out IlgpuLstmBackend?, out string)"/> accepts.</summary>
    public static IReadOnlyList<string> DeviceNames { get; } = ["auto", "ilgpu-cpu", "opencl", "cuda"];

    /// <summary>
    /// Opens the named device and compiles the kernels. Returns false with a one-sentence
    /// <paramref name="reason"/> when the device is absent or refused (for <c>auto</c>: no CUDA and
    /// no OpenCL GPU, so the caller should fall back to <c>--device cpu</c>). On success
    /// <paramref name="reason"/> says what was chosen. The caller owns and disposes the backend.
    /// </summary>
    public static bool TryCreate(string device, [NotNullWhen(true)] out IlgpuLstmBackend? backend, out string reason) =>
        TryCreate(device, new KernelOptions(), out backend, out reason);

    public static bool TryCreate(string device, KernelOptions options, [NotNullWhen(true)] out IlgpuLstmBackend? backend, out string reason)
    {
        backend = null;
        if (!IlgpuDevice.TryParse(device, out var kind))
        {
            reason = $"'{device}' is not an ILGPU device; expected one of {string.Join(", ", DeviceNames)}";
            return false;
        }

        if (!IlgpuDevice.TryOpen(kind, out var opened, out reason))
        {
            return false;
        }

        try
        {
            backend = new IlgpuLstmBackend(opened, options);
            reason = $"{reason}; {backend.Device} (cuBLAS: {backend.CuBlasStatus})";
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            opened.Dispose();
            reason = $"{IlgpuDevice.Name(kind)}: the kernels could not be prepared: {ex.GetType().Name}: {ex.Message}";
            return false;
        }
    }
}
