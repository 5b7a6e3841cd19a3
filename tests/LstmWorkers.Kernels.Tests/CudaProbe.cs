using ILGPU;
using ILGPU.Runtime.Cuda;

namespace LstmWorkers.Kernels.Tests;

/// <summary>Looks once per test run for a CUDA device (no accelerator is created).</summary>
internal static class CudaProbe
{
    private static readonly Lazy<string?> Result = new(Probe);

    /// <summary>Null when a CUDA device exists, else why not.</summary>
    public static string? Missing => Result.Value;

    private static string? Probe()
    {
        try
        {
            using var context = Context.Create(builder => builder.Cuda());
            return context.Devices.OfType<CudaDevice>().Any() ? null : "ILGPU found no CUDA device";
        }
        catch (Exception ex)
        {
            return $"{ex.GetType().Name}: {ex.Message}";
        }
    }
}
