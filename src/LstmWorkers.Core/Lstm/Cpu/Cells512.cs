using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LstmWorkers.Core.Lstm.Cpu;

/// <summary>
/// <see cref="Cells256"/> on <see cref="Vector512{T}"/> (16 lanes): the same operations in the same order, so the
/// same bits per lane.
/// </summary>
internal static unsafe class Cells512
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
                Activate(g + u * 64);
            }

            float* cr = c + (nint)r * ldc, hr = hOut + (nint)r * ldHOut;
            float* or = output == null ? null : output + (nint)r * ldOut;
            for (int u = 0; u < groups; u++)
            {
                Cell(g + u * 64, cr + u * 16, hr + u * 16, or == null ? null : or + u * 16);
            }
        }
    }

    /// <summary>i, f, g, o = σ(i), σ(f), tanh(g), σ(o) in place, on one group of 16 units.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Activate(float* gates)
    {
        VectorMath512.Sigmoid(Vector512.Load(gates)).Store(gates);
        VectorMath512.Sigmoid(Vector512.Load(gates + 16)).Store(gates + 16);
        VectorMath512.Tanh(Vector512.Load(gates + 32)).Store(gates + 32);
        VectorMath512.Sigmoid(Vector512.Load(gates + 48)).Store(gates + 48);
    }

    /// <summary>c = f⊙c + i⊙g; h = o⊙tanh(c), on 16 units whose activated gates are gates[0 … 64) (i, f, g, o).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Cell(float* gates, float* c, float* hOut, float* output)
    {
        var cell = Vector512.FusedMultiplyAdd(Vector512.Load(gates + 16), Vector512.Load(c), Vector512.Load(gates) * Vector512.Load(gates + 32));
        cell.Store(c);
        var hidden = Vector512.Load(gates + 48) * VectorMath512.Tanh(cell);
        hidden.Store(hOut);
        if (output != null)
        {
            hidden.Store(output);
        }
    }
}
