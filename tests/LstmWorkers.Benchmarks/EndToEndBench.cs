using System.Diagnostics;
using System.Globalization;
using LstmWorkers.Core.Lstm.Cpu;
using LstmWorkers.Core.Models;

namespace LstmWorkers.Benchmarks;

/// <summary>
/// <c>lstmw-bench e2e w1|w2|all</c>: the whole command a user runs, <c>lstmw encode --device cpu --outputs h_n</c>,
/// published as the README installs it, on the workload's Parquet file (a new process each pass: start-up, reading,
/// packing, dispatch, writing), against the LSTM alone in this process on the same sequences (the model prepared for
/// the CPU, then every batch as the worker runs them); passes interleaved, best of each. What the command spends beyond
/// the LSTM alone is "outside the LSTM" (issue 5: at most 10%), split into what every run pays once (the same command
/// on a one-row file) and what grows with the data. ONNX Runtime's LSTM op on the same batches (computing only: inputs
/// padded and wrapped beforehand) takes its turn in every pass, so the ratio of the whole command to it (issue 14) comes
/// from one run. PyTorch (embedding → pack → nn.LSTM, data already in memory) runs after, on the same shapes.
/// </summary>
public static class EndToEndBench
{
    public static async Task<int> RunAsync(BenchOptions options, string repoRoot)
    {
        string lstmw = Publish(repoRoot, Path.Combine(options.Directory, "lstmw"));
        double pageMicroseconds = ChildUsage.FreshPageMicroseconds();
        Console.WriteLine(Invariant($"this machine faults in fresh memory at {pageMicroseconds:0.00} µs per 4 KiB page ({4096 / pageMicroseconds:0} MB/s)"));

        foreach (var workload in options.Workloads)
        {
            string modelPath = Path.Combine(options.Directory, $"{workload.Name}.safetensors");
            string input = Path.Combine(options.Directory, $"{workload.Name}.parquet");
            string oneRow = Path.Combine(options.Directory, $"{workload.Name}-1row.parquet");
            if (!File.Exists(input) || !File.Exists(modelPath) || !File.Exists(oneRow) || options.Regenerate)
            {
                Directory.CreateDirectory(options.Directory);
                workload.WriteFiles(options.Directory);
                await WorkloadParquet.WriteAsync(workload, input);
                await WorkloadParquet.WriteAsync(workload with { Lengths = workload.Lengths[..1] }, oneRow);
            }

            Console.WriteLine();
            Console.WriteLine($"{workload.Name}: {workload.Lengths.Length:N0} sequences, {workload.Tokens:N0} tokens; " +
                $"lstmw encode {input} --outputs h_n --device cpu, against the LSTM alone ({options.Workers} batches at a time)");
            var encode = new List<(double Seconds, ChildUsage Usage)>();
            var fixedCost = new List<double>();
            var lstm = new List<(double Prepare, double Batches)>();
            var onnxTimes = new List<double>();
            using OnnxPeer? onnx = options.Onnx ? Onnx(repoRoot, options, workload, modelPath) : null;
            string output = Path.Combine(options.Directory, $"{workload.Name}-e2e.parquet");
            for (int pass = 0; pass <= options.Reps; pass++)
            {
                var e = Encode(lstmw, input, modelPath, output);
                double f = Encode(lstmw, oneRow, modelPath, output).Seconds;
                var l = LstmAlone(workload, modelPath, options.Workers);
                double? o = onnx?.RunOnce();
                if (pass > 0)
                {
                    encode.Add(e);
                    fixedCost.Add(f);
                    lstm.Add(l);
                    onnxTimes.AddRange(o is { } seconds ? [seconds] : []);
                }
            }

            var (best, usage) = encode.MinBy(e => e.Seconds);
            double once = fixedCost.Min();
            var alone = lstm.MinBy(l => l.Prepare + l.Batches);
            double lstmBest = alone.Prepare + alone.Batches;
            Console.WriteLine(Invariant($"  lstmw encode  best {best:0.000} s, median {Median([.. encode.Select(e => e.Seconds)]):0.000} s ({workload.Tokens / best:N0} tokens/s)"));
            Console.WriteLine(Invariant($"                its CPU time: user {usage.UserSeconds:0.00} s, system {usage.SystemSeconds:0.00} s"));
            Console.WriteLine(Invariant($"                {usage.MinorFaults:N0} page faults: {usage.MinorFaults * 4096 / 1e9:0.00} GB of fresh memory, ≈ {usage.MinorFaults * pageMicroseconds / 1e6:0.00} s of faulting in"));
            Console.WriteLine(Invariant($"  LSTM alone    best {lstmBest:0.000} s = model prepared {alone.Prepare:0.000} s + batches {alone.Batches:0.000} s"));
            Console.WriteLine(Invariant($"  outside the LSTM: {100 * (1 - lstmBest / best):0.0}% of lstmw encode's time ({best - lstmBest:0.000} s), of which:"));
            Console.WriteLine(Invariant($"    once per run (start-up, loading; the command on a 1-row file, {once:0.000} s, less the model preparation): {once - alone.Prepare:0.000} s"));
            double withData = best - lstmBest - (once - alone.Prepare);
            Console.WriteLine(Invariant($"    with the data (reading, packing, dispatch, writing; the rest): {withData:0.000} s = {100 * withData / best:0.0}%"));
            Console.WriteLine(Invariant($"  one-row file  best {once:0.000} s, median {Median(fixedCost):0.000} s (the whole command: what every run pays once)"));
            if (onnxTimes.Count > 0)
            {
                double onnxBest = onnxTimes.Min();
                Console.WriteLine(Invariant($"  ONNX Runtime  best {onnxBest:0.000} s, median {Median(onnxTimes):0.000} s (LSTM only, {options.Threads} threads): lstmw encode, the whole command, is {onnxBest / best:0.00}× its speed"));
            }
            if (options.Torch && TorchPeer.Time(repoRoot, options.Directory, workload.Name, options.TorchReps, options.Threads) is { } torch)
            {
                Console.WriteLine(Invariant($"  PyTorch       best {torch.Min():0.000} s: lstmw encode is {torch.Min() / best:0.00}× faster end to end"));
            }
        }

        return 0;
    }

    /// <summary>ONNX Runtime on the workload's batches (the graph written by tools/bench/lstm_onnx.py once), or null when it cannot be written.</summary>
    private static OnnxPeer? Onnx(string repoRoot, BenchOptions options, Workload workload, string modelPath)
    {
        string onnxPath = Path.Combine(options.Directory, $"{workload.Name}.onnx");
        if ((File.Exists(onnxPath) && !options.Regenerate) || TorchPeer.ExportOnnx(repoRoot, modelPath, onnxPath, features: false))
        {
            return new OnnxPeer(onnxPath, workload, options.Threads);
        }

        Console.WriteLine("  ONNX Runtime: could not write the ONNX model (needs Debian's python3-torch and python3-onnx); skipped");
        return null;
    }

    /// <summary>Publishes lstmw as a user installs it (README: ReadyToRun, for this machine) and returns the executable.</summary>
    internal static string Publish(string repoRoot, string directory)
    {
        Console.WriteLine($"publishing lstmw to {directory}");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "publish", Path.Combine(repoRoot, "src/LstmWorkers.Cli"), "-c", "Release", "-r", "linux-x64", "--self-contained", "false", "-o", directory },
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        string log = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? Path.Combine(directory, "lstmw") : throw new InvalidOperationException($"dotnet publish failed:\n{log}");
    }

    private static (double Seconds, ChildUsage Usage) Encode(string lstmw, string input, string modelPath, string output)
    {
        var start = new ProcessStartInfo(lstmw)
        {
            ArgumentList = { "encode", input, "--model", modelPath, "--out", output, "--outputs", "h_n", "--device", "cpu" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var before = ChildUsage.Now();
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        double seconds = clock.Elapsed.TotalSeconds;
        return process.ExitCode == 0 ? (seconds, ChildUsage.Now() - before) : throw new InvalidOperationException($"lstmw encode exited {process.ExitCode}: {error.Result}");
    }

    private static (double Prepare, double Batches) LstmAlone(Workload workload, string modelPath, int workers)
    {
        var batches = workload.Batches().ToList();
        var clock = Stopwatch.StartNew();
        using var peer = new RunnerPeer("cpu", new CpuLstmBackend().Load(LstmModel.Load(modelPath)), batches, workers);
        double prepare = clock.Elapsed.TotalSeconds;
        return (prepare, peer.RunOnce());
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
