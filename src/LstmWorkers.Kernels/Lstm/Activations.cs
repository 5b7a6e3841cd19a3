using ILGPU.Algorithms;

namespace LstmWorkers.Kernels.Lstm;

/// <summary>
/// The gate nonlinearities as kernels compute them, in float: σ(x) = 1 / (1 + e^−x) and
/// tanh(x) = 2σ(2x) − 1. Written once so every kernel and its plain C# twin use the same
/// formulas; the absolute error against float64 is a few float32 ulps of 1.
/// </summary>
public static class Activations
{
    public static float Sigmoid(float x) => 1f / (1f + XMath.Exp(-x));

    public static float Tanh(float x) => 2f / (1f + XMath.Exp(-2f * x)) - 1f;
}
