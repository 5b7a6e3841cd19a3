namespace LstmWorkers.Core.Lstm.Cpu;

/// <summary>Which vector width the CPU runner's micro-kernels use.</summary>
public enum CpuVectorWidth
{
    /// <summary>512 bits where the processor has AVX-512F, else 256.</summary>
    Auto,

    /// <summary><see cref="System.Runtime.Intrinsics.Vector256{T}"/>: 8 floats (AVX2 + FMA).</summary>
    Bits256,

    /// <summary><see cref="System.Runtime.Intrinsics.Vector512{T}"/>: 16 floats (AVX-512F; emulated, slowly, elsewhere).</summary>
    Bits512,
}
