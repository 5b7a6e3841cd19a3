using System.Diagnostics;
using LstmWorkers.Core.Lstm;
using LstmWorkers.Core.Lstm.Cpu;
using LstmWorkers.Core.Models;

namespace LstmWorkers.GpuCheck;

/// <summary>Times a runner over all of a workload's batches and checks some batches against the CPU runner.</summary>
public static class Bench
{
    /// <summary>Tokens per second over <paramref name="passes"/> full passes (median), after one warm-up batch.</summary>
    public static (double TokensPerSecond, double Seconds) Time(ILstmRunner runner, IReadOnlyList<LstmBatch> batches, long tokens, int passes)
    {
        runner.Run(batches[^1], CancellationToken.None);
        runner.Run(batches[0], CancellationToken.None);
        var seconds = new List<double>();
        for (int pass = 0; pass < passes; pass++)
        {
            var clock = Stopwatch.StartNew();
            foreach (var batch in batches)
            {
                runner.Run(batch, CancellationToken.None);
            }

            seconds.Add(clock.Elapsed.TotalSeconds);
        }

        double median = seconds.Order().ElementAt(seconds.Count / 2);
        return (tokens / median, median);
    }

    /// <summary>CpuLstmRunner's results for the batches at <paramref name="which"/>, computed in parallel.</summary>
    public static LstmBatchResult[] CpuResults(LstmModel model, IReadOnlyList<LstmBatch> batches, int[] which)
    {
        var cpu = new CpuLstmRunner(model);
        var expected = new LstmBatchResult[which.Length];
        Parallel.For(0, which.Length, i => expected[i] = cpu.Run(batches[which[i]], CancellationToken.None));
        return expected;
    }

    /// <summary>Max |runner − expected| over output, h_n and c_n of the batches at <paramref name="which"/>.</summary>
    public static double MaxError(ILstmRunner runner, IReadOnlyList<LstmBatch> batches, int[] which, LstmBatchResult[] expected)
    {
        double worst = 0;
        for (int i = 0; i < which.Length; i++)
        {
            var actual = runner.Run(batches[which[i]], CancellationToken.None);
            worst = Math.Max(worst, MaxAbs(expected[i].Output!, actual.Output!));
            worst = Math.Max(worst, MaxAbs(expected[i].HiddenState, actual.HiddenState));
            worst = Math.Max(worst, MaxAbs(expected[i].CellState, actual.CellState));
        }

        return worst;
    }

    private static double MaxAbs(float[] a, float[] b)
    {
        if (a.Length != b.Length)
        {
            return double.PositiveInfinity;
        }

        double worst = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = Math.Abs((double)a[i] - b[i]);
            worst = double.IsNaN(d) ? double.PositiveInfinity : Math.Max(worst, d);
        }

        return worst;
    }
}
