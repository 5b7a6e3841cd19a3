using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LstmWorkers.Core.Lstm.Cpu;

/// <summary>
/// The cell pass on <see cref="Vector256{T}"/> (8 lanes): σ/tanh of the gate pre-activations and the cell update,
/// after the recurrent GEMM (<see cref="GemmKernels{TVector, TSimd}"/>). <see cref="Cells512"/> computes the same bits
/// 16 lanes wide: every operation is lane-wise, in the same order. (Unlike the GEMM, the cell pass is written once per
/// width: written over <see cref="ISimd{TVector}"/>, the JIT kept σ's constants in registers and spilled them, and
/// the pass ran 6–23% slower; docs/BENCHMARKS.md.)
/// </summary>
internal static unsafe class Cells256
{
    /// <summary>
    /// The LSTM cell on pre-activations laid out by unit group (<paramref name="gates"/> [rows, 4Hp],
    /// row stride ldg): i, f, o = σ, g = tanh, c = f⊙c + i⊙g (in place, [rows, Hp]),
    /// h = o⊙tanh(c) stored to <paramref name="hOut"/> and, when not null, <paramref name="output"/>.
    /// Two short passes per row rather than one long one: σ and tanh are long dependency chains,
    /// and only loop bodies much shorter than the processor's reorder window let it overlap the
    /// chains of successive iterations (one fused body of ~290 instructions ran 2× slower).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int rows, int groups, float* gates, int ldg, float* c, int ldc, float* hOut, int ldHOut, float* output, int ldOut)
    {
        for (int r = 0; r < rows; r++)
        {
            float* g = gates + (nint)r * ldg;
            for (int u = 0; u < groups; u++)
            {
                Activate(g + u * 32);
            }

            float* cr = c + (nint)r * ldc, hr = hOut + (nint)r * ldHOut;
            float* or = output == null ? null : output + (nint)r * ldOut;
            for (int u = 0; u < groups; u++)
            {
                Cell(g + u * 32, cr + u * 8, hr + u * 8, or == null ? null : or + u * 8);
            }
        }
    }

    /// <summary>i, f, g, o = σ(i), σ(f), tanh(g), σ(o) in place, on one group of 8 units.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Activate(float* gates)
    {
        VectorMath.Sigmoid(Vector256.Load(gates)).Store(gates);
        VectorMath.Sigmoid(Vector256.Load(gates + 8)).Store(gates + 8);
        VectorMath.Tanh(Vector256.Load(gates + 16)).Store(gates + 16);
        VectorMath.Sigmoid(Vector256.Load(gates + 24)).Store(gates + 24);
    }

    /// <summary>c = f⊙c + i⊙g; h = o⊙tanh(c), on 8 units whose activated gates are gates[0 … 32) (i, f, g, o).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Cell(float* gates, float* c, float* hOut, float* output)
    {
        var cell = Vector256.FusedMultiplyAdd(Vector256.Load(gates + 8), Vector256.Load(c), Vector256.Load(gates) * Vector256.Load(gates + 16));
        cell.Store(c);
        var hidden = Vector256.Load(gates + 24) * VectorMath.Tanh(cell);
        hidden.Store(hOut);
        if (output != null)
        {
            hidden.Store(output);
        }
    }
}
