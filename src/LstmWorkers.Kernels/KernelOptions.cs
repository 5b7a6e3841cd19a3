namespace LstmWorkers.Kernels;

/// <summary>Which kernel variant each op of the ILGPU backend uses (see docs/KERNELS.md for timings).</summary>
public sealed record KernelOptions
{
    /// <summary>The input projection: <see cref="InputProjectionVariant.Auto"/> is the tiled kernel; cuBLAS is opt-in (CUDA only).</summary>
    public InputProjectionVariant InputProjection { get; init; } = InputProjectionVariant.Auto;

    /// <summary>The fused recurrent step.</summary>
    public RecurrentVariant Recurrent { get; init; } = RecurrentVariant.V2Tiled;
}
