using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LstmWorkers.Core.Lstm.Cpu;

/// <summary>
/// <see cref="VectorMath"/> on <see cref="Vector512{T}"/> lanes: the same constants and the same
/// operations in the same order, so the same bits per lane.
/// </summary>
public static class VectorMath512
{
    /// <summary>tanh(x) ≈ x·P(x²) / Q(x²) on x clamped to ±7.905.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Tanh(Vector512<float> x)
    {
        // MinNative/MaxNative return their second operand when either is NaN, so NaN flows through.
        x = Vector512.MinNative(Vector512.Create(VectorMath.Clamp), Vector512.MaxNative(Vector512.Create(-VectorMath.Clamp), x));
        var z = x * x;
        var p = Vector512.FusedMultiplyAdd(z, Vector512.Create(VectorMath.A13), Vector512.Create(VectorMath.A11));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(VectorMath.A9));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(VectorMath.A7));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(VectorMath.A5));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(VectorMath.A3));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(VectorMath.A1));
        var q = Vector512.FusedMultiplyAdd(z, Vector512.Create(VectorMath.B6), Vector512.Create(VectorMath.B4));
        q = Vector512.FusedMultiplyAdd(q, z, Vector512.Create(VectorMath.B2));
        q = Vector512.FusedMultiplyAdd(q, z, Vector512.Create(VectorMath.B0));
        return p * x / q;
    }

    /// <summary>σ(x) = ½·tanh(x/2) + ½.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sigmoid(Vector512<float> x)
    {
        var half = Vector512.Create(0.5f);
        return Vector512.FusedMultiplyAdd(Tanh(x * half), half, half);
    }
}
