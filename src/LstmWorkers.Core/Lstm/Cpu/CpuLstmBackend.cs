using System.Runtime.Intrinsics;
using LstmWorkers.Core.Models;

namespace LstmWorkers.Core.Lstm.Cpu;

/// <summary>
/// The managed CPU backend (<c>--device cpu</c>): SIMD through <see cref="System.Numerics.Tensors.TensorPrimitives"/>,
/// one thread per batch; a worker runs several batches at once to use every core.
/// </summary>
public sealed class CpuLstmBackend : ILstmBackend
{
    public string Device => $"cpu ({Environment.ProcessorCount} cores, {SimdWidth()})";

    public ILstmRunner Load(LstmModel model) => new CpuLstmRunner(model);

    private static string SimdWidth() =>
        Vector512.IsHardwareAccelerated ? "AVX-512" : Vector256.IsHardwareAccelerated ? "256-bit SIMD" : "128-bit SIMD";
}
