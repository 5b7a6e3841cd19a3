using System.Runtime.Intrinsics;
using LstmWorkers.Core.Lstm.Cpu;

namespace LstmWorkers.Core.Tests.Lstm.Cpu;

/// <summary>The cell's vectorized tanh and σ against the exact functions (in double), and the two vector widths against each other.</summary>
public class VectorMathTests
{
    /// <summary>Every 1/4096 in [−20, 20] and a few special points.</summary>
    private static float[] Grid() =>
        [.. Enumerable.Range(-81920, 163841).Select(i => i / 4096f), 1e-30f, -1e-30f, 1e-6f, 7.9f, 7.91f, 40f, -40f, 1e30f, -1e30f, float.MaxValue, float.MinValue];

    [Fact]
    public void Tanh_is_within_3_5e_7_of_the_exact_function()
    {
        var x = Grid();

        var y = Apply(VectorMath.Tanh, x);

        var worst = x.Select((v, i) => Math.Abs(y[i] - Math.Tanh(v))).Max();

        Assert.True(worst <= 3.5e-7, $"max |tanh error| = {worst:e3}");
    }

    [Fact]
    public void Sigmoid_is_within_2e_7_of_the_exact_function()
    {
        var x = Grid();

        var y = Apply(VectorMath.Sigmoid, x);

        var worst = x.Select((v, i) => Math.Abs(y[i] - (1 / (1 + Math.Exp(-(double)v))))).Max();

        Assert.True(worst <= 2e-7, $"max |σ error| = {worst:e3}");
    }

    [Fact]
    public void The_512_bit_functions_give_the_same_bits_as_the_256_bit_ones()
    {
        var x = Grid();

        Assert.Equal(Apply(VectorMath.Tanh, x), Apply512(VectorMath512.Tanh, x));
        Assert.Equal(Apply(VectorMath.Sigmoid, x), Apply512(VectorMath512.Sigmoid, x));
    }

    [Fact]
    public void NaN_stays_NaN_and_infinities_saturate()
    {
        float[] x = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f];

        Assert.Equal([float.NaN, 1f, -1f, 0f], Apply(VectorMath.Tanh, x).Select(v => (float)Math.Round(v, 6)));
        Assert.Equal([float.NaN, 1f, 0f, 0.5f], Apply(VectorMath.Sigmoid, x).Select(v => (float)Math.Round(v, 6)));
    }

    private static double[] Apply(Func<Vector256<float>, Vector256<float>> function, float[] x)
    {
        var padded = new float[(x.Length + 7) / 8 * 8];
        x.CopyTo(padded, 0);
        var result = new double[x.Length];
        for (int i = 0; i < x.Length; i += 8)
        {
            var y = function(Vector256.Create(padded, i));
            for (int j = 0; j < 8 && i + j < x.Length; j++)
            {
                result[i + j] = y[j];
            }
        }

        return result;
    }

    private static double[] Apply512(Func<Vector512<float>, Vector512<float>> function, float[] x)
    {
        var padded = new float[(x.Length + 15) / 16 * 16];
        x.CopyTo(padded, 0);
        var result = new double[x.Length];
        for (int i = 0; i < x.Length; i += 16)
        {
            var y = function(Vector512.Create(padded, i));
            for (int j = 0; j < 16 && i + j < x.Length; j++)
            {
                result[i + j] = y[j];
            }
        }

        return result;
    }
}
