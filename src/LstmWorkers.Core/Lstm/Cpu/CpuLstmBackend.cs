using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using LstmWorkers.Core.Models;

namespace LstmWorkers.Core.Lstm.Cpu;

/// <summary>
/// The managed CPU backend (<c>--device cpu</c>): <see cref="CpuLstmRunner"/>, register-tiled FMA
/// micro-kernels on 256- or 512-bit vectors. A worker runs one batch per core; the runners of one
/// backend share a count of idle cores, so a run only spreads over two threads when a core is free.
/// </summary>
public sealed class CpuLstmBackend(CpuLstmOptions options) : ILstmBackend
{
    private readonly CoreBudget _cores = new(options.EffectiveCores);

    public CpuLstmBackend()
        : this(new CpuLstmOptions())
    {
    }

    public CpuLstmOptions Options => options;

    public string Device => $"cpu ({options.EffectiveCores} cores, {Describe(CpuLstmRunner.ChooseLanes(options.VectorWidth))})";

    public ILstmRunner Load(LstmModel model) => new CpuLstmRunner(model, options, _cores);

    /// <summary>
    /// What the processor offers and what the kernels use. <see cref="Vector512.IsHardwareAccelerated"/>
    /// is false both where there is no AVX-512 and where .NET prefers 256-bit vectors
    /// (DOTNET_PreferredVectorBitWidth); the kernels look at <see cref="Avx512F.IsSupported"/> itself.
    /// </summary>
    private static string Describe(int lanes) =>
        (lanes == 16 ? "AVX-512 kernels" : Fma.IsSupported ? "AVX2+FMA kernels" : "256-bit kernels, no FMA unit") +
        (Avx512F.IsSupported ? "" : "; no AVX-512 on this processor");
}
