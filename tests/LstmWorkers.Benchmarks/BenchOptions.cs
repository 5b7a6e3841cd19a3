using System.Globalization;

namespace LstmWorkers.Benchmarks;

/// <summary>The benchmark's command line.</summary>
public sealed record BenchOptions(
    IReadOnlyList<Workload> Workloads,
    string Directory,
    int Reps,
    int Workers,
    int Threads,
    bool Onnx,
    bool Torch,
    int TorchReps,
    int BatchLimit,
    bool Regenerate,
    IReadOnlyList<string> Runners,
    bool OnnxFeatures = false)
{
    public const string Usage = """
        usage: dotnet run -c Release --project tests/LstmWorkers.Benchmarks -- w1|w2|all [options]
               dotnet run -c Release --project tests/LstmWorkers.Benchmarks -- kernels [LANES [SECONDS]]
               dotnet run -c Release --project tests/LstmWorkers.Benchmarks -- parquet w1|w2|all [--dir DIR]
               dotnet run -c Release --project tests/LstmWorkers.Benchmarks -- verify
               dotnet run -c Release --project tests/LstmWorkers.Benchmarks -- e2e w1|w2|w2x10|all [--reps N] [--workers N] [--no-onnx] [--no-torch] [--torch-reps N]
                 (lstmw encode --outputs h_n, published to DIR/lstmw first, on the workload's Parquet file against the LSTM alone
                  and ONNX Runtime's LSTM alone; all = W1, W2 and W2x10, W2's model on 200,000 sequences)
               dotnet run -c Release --project tests/LstmWorkers.Benchmarks -- read FILE... [--reps N]
                 (the list column of each file read by Parquet.Net, by our page decoder and by ParquetSharp)
               dotnet run -c Release --project tests/LstmWorkers.Benchmarks -- write [--dir DIR]
                 (one list<float> column written with each codec, with and without Parquet.Net's dictionary attempt)
               dotnet run -c Release --project tests/LstmWorkers.Benchmarks -- forms w1|faults [--reps N]
                 (lstmw encode with a padded output, a ragged one, pooled_mean and h_n: file size and time of each)
          --dir DIR         where the workload files go (default /tmp/lstmw-bench)
          --reps N          timed passes of each peer, interleaved, after one warm-up pass (default 5)
          --workers N       batches our runner runs at once, as Worker:Concurrency (default: cores)
          --threads N       ONNX Runtime intra-op threads and torch threads (default: cores)
          --runners A,B     our runners to time: cpu, cpu256, cpu512, cpu-notable, cpu-1thread, cpu-chunkN, v1 (RowDotCpuLstmRunner), reference (default cpu; the first is "ours")
          --no-onnx         skip ONNX Runtime
          --no-torch        skip PyTorch
          --torch-reps N    timed passes of PyTorch (default 2)
          --batches N       only the first N batches (quick looks; skips PyTorch)
          --regenerate      rewrite the workload files
          --onnx-features   ONNX Runtime without the embedding in its graph (tokens embedded, untimed, before)
        """;

    /// <param name="large">Whether <c>all</c> includes <see cref="Workload.W2x10"/> (the end-to-end benchmark's).</param>
    public static BenchOptions? Parse(string[] args, bool large = false)
    {
        if (args.Length == 0)
        {
            return null;
        }

        IReadOnlyList<Workload> workloads = args[0].ToLowerInvariant() switch
        {
            "w1" => [Workload.W1()],
            "faults" => [Workload.Faults()],
            "w2" => [Workload.W2()],
            "w2x10" => [Workload.W2x10()],
            "all" when large => [Workload.W1(), Workload.W2(), Workload.W2x10()],
            "all" => [Workload.W1(), Workload.W2()],
            _ => [],
        };
        if (workloads.Count == 0)
        {
            return null;
        }

        var options = new BenchOptions(workloads, "/tmp/lstmw-bench", 5, Environment.ProcessorCount, Environment.ProcessorCount,
            true, true, 2, int.MaxValue, false, ["cpu"]);
        for (int i = 1; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int NextInt() => int.Parse(Next(), CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--dir" => options with { Directory = Next() },
                "--reps" => options with { Reps = NextInt() },
                "--workers" => options with { Workers = NextInt() },
                "--threads" => options with { Threads = NextInt() },
                "--runners" => options with { Runners = Next().Split(',', StringSplitOptions.RemoveEmptyEntries) },
                "--no-onnx" => options with { Onnx = false },
                "--no-torch" => options with { Torch = false },
                "--torch-reps" => options with { TorchReps = NextInt() },
                "--batches" => options with { BatchLimit = NextInt() },
                "--regenerate" => options with { Regenerate = true },
                "--onnx-features" => options with { OnnxFeatures = true },
                _ => null,
            } ?? throw new ArgumentException($"unknown option {args[i]}");
        }

        return options;
    }
}
