namespace LstmWorkers.Kernels.Tests;

/// <summary>A <see cref="FactAttribute"/> that skips when no CUDA device can be opened (CI has none).</summary>
public sealed class GpuFactAttribute : FactAttribute
{
    public GpuFactAttribute()
    {
        if (CudaProbe.Missing is { } reason)
        {
            Skip = $"no CUDA device: {reason}";
        }
    }
}
