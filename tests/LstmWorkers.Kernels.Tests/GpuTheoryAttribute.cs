namespace LstmWorkers.Kernels.Tests;

/// <summary>A <see cref="TheoryAttribute"/> that skips when no CUDA device can be opened (CI has none).</summary>
public sealed class GpuTheoryAttribute : TheoryAttribute
{
    public GpuTheoryAttribute()
    {
        if (CudaProbe.Missing is { } reason)
        {
            Skip = $"no CUDA device: {reason}";
        }
    }
}
