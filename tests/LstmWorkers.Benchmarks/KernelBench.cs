using System.Runtime.Intrinsics;
using System.Diagnostics;
using LstmWorkers.Core.Lstm.Cpu;

namespace LstmWorkers.Benchmarks;

/// <summary>
/// Single-thread GFLOP/s of the CPU runner's micro-kernels on W1's and W2's shapes, best of many
/// repetitions (the most robust figure on a shared machine): <c>lstmw-bench kernels</c>.
/// </summary>
public static unsafe class KernelBench
{
    public static void Run(int lanes, double seconds)
    {
        Console.WriteLine($"kernels, {lanes} lanes, one thread, best of ≥ {seconds:0.0} s each");
        Accuracy();
        Gemm("W1 input GEMM  1024×1024, K 256", lanes, 1024, 1024, 256, seconds);
        Gemm("W1 input GEMM  1024×1024, K 512", lanes, 1024, 1024, 512, seconds);
        Gemm("W2 input GEMM  1024×256,  K 32", lanes, 1024, 256, 32, seconds);
        Gate("W1 gate step   256×1024,  K 256", lanes, 256, 256, seconds);
        Gate("W2 gate step   256×256,   K 64", lanes, 256, 64, seconds);
        TableRows(lanes, seconds);
        var x = new AlignedFloats(8192);
        Fill(x.Span);
        Report("sigmoid, per float", 8192, seconds, () =>
        {
            for (int i = 0; i < 8192; i += 8)
            {
                VectorMath.Sigmoid(System.Runtime.Intrinsics.Vector256.Load(x.Pointer + i)).Store(x.Pointer + i);
            }
        });
        Report("tanh, per float", 8192, seconds, () =>
        {
            for (int i = 0; i < 8192; i += 8)
            {
                VectorMath.Tanh(System.Runtime.Intrinsics.Vector256.Load(x.Pointer + i)).Store(x.Pointer + i);
            }
        });
        Report("div, per float", 8192, seconds, () =>
        {
            for (int i = 0; i < 8192; i += 8)
            {
                (System.Runtime.Intrinsics.Vector256<float>.One / System.Runtime.Intrinsics.Vector256.Load(x.Pointer + i)).Store(x.Pointer + i);
            }
        });
    }

    private static void Gemm(string name, int lanes, int rows, int columns, int k, double seconds)
    {
        var a = Random(rows * k);
        var b = new AlignedFloats((long)columns * k);
        var bias = new AlignedFloats(columns);
        var c = new AlignedFloats((long)rows * columns);
        Fill(b.Span);
        fixed (float* ap = a)
        {
            float* app = ap;
            Report(name, 2.0 * rows * columns * k, seconds, () => Kernels.Gemm(lanes, rows, columns / (2 * lanes), k, app, k, b.Pointer, bias.Pointer, c.Pointer, columns));
        }
    }

    private static void Gate(string name, int lanes, int rows, int hidden, double seconds)
    {
        int columns = 4 * hidden;
        var h = new AlignedFloats((long)rows * hidden);
        var hOut = new AlignedFloats((long)rows * hidden);
        var c = new AlignedFloats((long)rows * hidden);
        var w = new AlignedFloats((long)columns * hidden);
        var projected = new AlignedFloats((long)rows * columns);
        var init = new AlignedFloats(2L * rows);
        var gates = new AlignedFloats((long)rows * columns);
        Fill(h.Span);
        Fill(w.Span);
        Fill(projected.Span);
        float** rowsPointer = (float**)init.Pointer;
        for (int r = 0; r < rows; r++)
        {
            rowsPointer[r] = projected.Pointer + (long)r * columns;
        }

        Report(name + " (GEMM part)", 2.0 * rows * columns * hidden, seconds, () =>
            Kernels.GemmRows(lanes, rows, columns / (2 * lanes), hidden, h.Pointer, hidden, w.Pointer, rowsPointer, gates.Pointer, columns));
        Report(name + " (cell part, per unit)", rows * hidden, seconds, () =>
            Kernels.Cells(lanes, rows, hidden / lanes, gates.Pointer, columns, c.Pointer, hidden, hOut.Pointer, hidden, null, 0));
        Report(name, 2.0 * rows * columns * hidden, seconds, () =>
        {
            c.Span.Clear();
            Kernels.GemmRows(lanes, rows, columns / (2 * lanes), hidden, h.Pointer, hidden, w.Pointer, rowsPointer, gates.Pointer, columns);
            Kernels.Cells(lanes, rows, hidden / lanes, gates.Pointer, columns, c.Pointer, hidden, hOut.Pointer, hidden, null, 0);
        });
    }

    /// <summary>W1's recurrent GEMM starting from rows of a 32,000-row token table (random rows, out of cache) or from contiguous rows.</summary>
    private static void TableRows(int lanes, double seconds)
    {
        const int rows = 256, hidden = 256, columns = 4 * hidden, vocab = 32000;
        var table = new AlignedFloats((long)vocab * columns);
        var h = new AlignedFloats((long)rows * hidden);
        var w = new AlignedFloats((long)columns * hidden);
        var gates = new AlignedFloats((long)rows * columns);
        var init = new AlignedFloats(2L * rows);
        Fill(h.Span);
        Fill(w.Span);
        float** rowsPointer = (float**)init.Pointer;
        var random = new Random(3);
        Report("W1 recurrent GEMM from table rows", 2.0 * rows * columns * hidden, seconds, () =>
        {
            for (int r = 0; r < rows; r++)
            {
                rowsPointer[r] = table.Pointer + (long)random.Next(vocab) * columns;
            }

            Kernels.GemmRows(lanes, rows, columns / (2 * lanes), hidden, h.Pointer, hidden, w.Pointer, rowsPointer, gates.Pointer, columns);
        });
        Report("W1 recurrent GEMM, rows gathered first", 2.0 * rows * columns * hidden, seconds, () =>
        {
            for (int r = 0; r < rows; r++)
            {
                new ReadOnlySpan<float>(table.Pointer + (long)random.Next(vocab) * columns, columns).CopyTo(new Span<float>(gates.Pointer + (long)r * columns, columns));
                rowsPointer[r] = gates.Pointer + (long)r * columns;
            }

            Kernels.GemmRows(lanes, rows, columns / (2 * lanes), hidden, h.Pointer, hidden, w.Pointer, rowsPointer, gates.Pointer, columns);
        });
    }

    /// <summary>Largest |error| of the cell's tanh and σ against double precision, over every 1/65536 in [−20, 20].</summary>
    private static void Accuracy()
    {
        double tanh = 0, sigmoid = 0, tanhUlps = 0;
        for (int i = -20 * 65536; i <= 20 * 65536; i += 8)
        {
            var x = Vector256.Create(i / 65536f) + Vector256.Create(0f, 1, 2, 3, 4, 5, 6, 7) / 65536f;
            var t = VectorMath.Tanh(x);
            var s = VectorMath.Sigmoid(x);
            for (int j = 0; j < 8; j++)
            {
                double exact = Math.Tanh(x[j]);
                double error = Math.Abs(t[j] - exact);
                tanh = Math.Max(tanh, error);
                tanhUlps = Math.Max(tanhUlps, error / (MathF.BitIncrement(MathF.Abs((float)exact)) - MathF.Abs((float)exact)));
                sigmoid = Math.Max(sigmoid, Math.Abs(s[j] - 1 / (1 + Math.Exp(-(double)x[j]))));
            }
        }

        Console.WriteLine($"  accuracy on [−20, 20]: tanh ≤ {tanh:0.00e0} absolute ({tanhUlps:0.0} float ulps), σ ≤ {sigmoid:0.00e0} absolute");
    }

    private static void Report(string name, double flops, double seconds, Action action)
    {
        action();
        double best = double.MaxValue;
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < seconds)
        {
            var clock = Stopwatch.StartNew();
            action();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }

        Console.WriteLine($"  {name}: {flops / best / 1e9,6:0.0} GFLOP/s ({best * 1e6:0} µs)");
    }

    private static float[] Random(int count)
    {
        var values = new float[count];
        Fill(values);
        return values;
    }

    private static void Fill(Span<float> values)
    {
        var random = new Random(5);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() - 0.5) * 0.1f;
        }
    }
}
