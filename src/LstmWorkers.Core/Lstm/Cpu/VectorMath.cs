using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LstmWorkers.Core.Lstm.Cpu;

/// <summary>
/// tanh and sigmoid on <see cref="Vector256{T}"/> lanes for the LSTM cell: a rational minimax
/// approximation of tanh (Eigen's, as in TensorFlow; ONNX Runtime's MLAS uses the same kind),
/// and σ(x) = ½·tanh(x/2) + ½. About 14 vector operations and one division each, no exp: ~4×
/// cheaper than exp-based versions, which made the cell a third of W2's time.
/// <para>
/// Error against the exact functions over every 1/65536 in [−20, 20] (<c>lstmw-bench kernels</c>;
/// <c>VectorMathTests</c> holds the bounds): tanh ≤ 2.7e-7 absolute (4.5 float ulps; the clamp at
/// ±7.905 accounts for 2.3e-7 of it), σ ≤ 1.6e-7 absolute.
/// Every lane goes through the same fixed IEEE operations (fused multiply-adds included), so a
/// value's result does not depend on its lane or neighbours, and <see cref="VectorMath512"/>
/// gives the same bits 16 lanes wide. NaN gives NaN.
/// </para>
/// </summary>
public static class VectorMath
{
    internal const float Clamp = 7.90531110763549805f;
    internal const float A1 = 4.89352455891786e-03f;
    internal const float A3 = 6.37261928875436e-04f;
    internal const float A5 = 1.48572235717979e-05f;
    internal const float A7 = 5.12229709037114e-08f;
    internal const float A9 = -8.60467152213735e-11f;
    internal const float A11 = 2.00018790482477e-13f;
    internal const float A13 = -2.76076847742355e-16f;
    internal const float B0 = 4.89352518554385e-03f;
    internal const float B2 = 2.26843463243900e-03f;
    internal const float B4 = 1.18534705686654e-04f;
    internal const float B6 = 1.19825839466702e-06f;

    /// <summary>tanh(x) ≈ x·P(x²) / Q(x²) on x clamped to ±7.905.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        // MinNative/MaxNative return their second operand when either is NaN, so NaN flows through.
        x = Vector256.MinNative(Vector256.Create(Clamp), Vector256.MaxNative(Vector256.Create(-Clamp), x));
        var z = x * x;
        var p = Vector256.FusedMultiplyAdd(z, Vector256.Create(A13), Vector256.Create(A11));
        p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(A9));
        p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(A7));
        p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(A5));
        p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(A3));
        p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(A1));
        var q = Vector256.FusedMultiplyAdd(z, Vector256.Create(B6), Vector256.Create(B4));
        q = Vector256.FusedMultiplyAdd(q, z, Vector256.Create(B2));
        q = Vector256.FusedMultiplyAdd(q, z, Vector256.Create(B0));
        return p * x / q;
    }

    /// <summary>σ(x) = ½·tanh(x/2) + ½.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sigmoid(Vector256<float> x)
    {
        var half = Vector256.Create(0.5f);
        return Vector256.FusedMultiplyAdd(Tanh(x * half), half, half);
    }
}
