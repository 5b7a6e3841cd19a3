using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LstmWorkers.Core.Lstm;
using Microsoft.ML.OnnxRuntime;

namespace LstmWorkers.Benchmarks;

/// <summary>One contestant: runs a whole workload once per <see cref="RunOnce"/>.</summary>
public interface IPeer : IDisposable
{
    string Name { get; }

    /// <summary>Runs every batch of the workload once; returns the wall time in seconds.</summary>
    double RunOnce();
}

/// <summary>
/// Our runner as the worker drives it: <paramref name="workers"/> threads each take the next
/// batch and call <see cref="ILstmRunner.Run"/> on it (the worker's <c>Worker:Concurrency</c>),
/// asking for h_n and c_n only, as <c>lstmw encode --outputs h_n,c_n</c> does.
/// </summary>
public sealed class RunnerPeer(string name, ILstmRunner runner, IReadOnlyList<LstmBatch> batches, int workers) : IPeer
{
    private readonly LstmBatch[] _batches = [.. batches.Select(b => b with { NeedOutput = false })];

    public string Name => name;

    public double RunOnce()
    {
        int next = -1;
        var clock = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, workers).Select(_ => new Thread(() =>
        {
            for (int i = Interlocked.Increment(ref next); i < _batches.Length; i = Interlocked.Increment(ref next))
            {
                runner.Run(_batches[i], CancellationToken.None);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return clock.Elapsed.TotalSeconds;
    }

    public void Dispose() => runner.Dispose();
}

/// <summary>
/// ONNX Runtime's LSTM op (graph from tools/bench/lstm_onnx.py) on padded batches with
/// sequence_lens, one batch after another, <c>intra_op_num_threads</c> = <paramref name="threads"/>.
/// Inputs are padded and wrapped once, outside the timing, as ours are packed once.
/// </summary>
public sealed class OnnxPeer : IPeer
{
    private readonly InferenceSession _session;
    private readonly List<(OrtValue Input, OrtValue Lengths)> _inputs = [];
    private readonly string _inputName;

    /// <param name="embedding">For a graph without its embedding (lstm_onnx.py --features): the table to embed
    /// the tokens with, outside the timing.</param>
    public OnnxPeer(string modelPath, Workload workload, int threads, float[]? embedding = null)
    {
        var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(modelPath, options);
        _inputName = workload.Vocab > 0 && embedding is null ? "tokens" : "x";
        var lengths = workload.Lengths;
        for (int first = 0; first < lengths.Length; first += workload.BatchSize)
        {
            int count = Math.Min(workload.BatchSize, lengths.Length - first), longest = lengths[first];
            var sequenceLengths = lengths.AsSpan(first, count).ToArray();
            OrtValue input;
            if (workload.Vocab > 0 && embedding is not null)
            {
                int size = workload.InputSize;
                var x = new float[longest * count * size];
                for (int b = 0; b < count; b++)
                {
                    for (int t = 0; t < sequenceLengths[b]; t++)
                    {
                        embedding.AsSpan(Workload.Token(first + b, t, workload.Vocab) * size, size).CopyTo(x.AsSpan((t * count + b) * size, size));
                    }
                }

                input = OrtValue.CreateTensorValueFromMemory(x, [longest, count, size]);
            }
            else if (workload.Vocab > 0)
            {
                var tokens = new long[longest * count];
                for (int b = 0; b < count; b++)
                {
                    for (int t = 0; t < sequenceLengths[b]; t++)
                    {
                        tokens[t * count + b] = Workload.Token(first + b, t, workload.Vocab);
                    }
                }

                input = OrtValue.CreateTensorValueFromMemory(tokens, [longest, count]);
            }
            else
            {
                int size = workload.InputSize;
                var x = new float[longest * count * size];
                for (int b = 0; b < count; b++)
                {
                    for (int t = 0; t < sequenceLengths[b]; t++)
                    {
                        for (int k = 0; k < size; k++)
                        {
                            x[(t * count + b) * size + k] = Workload.Feature(first + b, t, k, size);
                        }
                    }
                }

                input = OrtValue.CreateTensorValueFromMemory(x, [longest, count, size]);
            }

            _inputs.Add((input, OrtValue.CreateTensorValueFromMemory(sequenceLengths, [count])));
        }

        PaddedTokens = lengths.Chunk(workload.BatchSize).Sum(c => (long)c[0] * c.Length);
    }

    public string Name => "ONNX Runtime";

    /// <summary>Steps computed when every batch is padded to its longest sequence.</summary>
    public long PaddedTokens { get; }

    public double RunOnce()
    {
        var clock = Stopwatch.StartNew();
        foreach (var (input, lengths) in _inputs)
        {
            using var results = Run(input, lengths);
        }

        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>h_n [L·D, B, H] of batch <paramref name="index"/>.</summary>
    public float[] HiddenState(int index)
    {
        using var results = Run(_inputs[index].Input, _inputs[index].Lengths);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private IDisposableReadOnlyCollection<OrtValue> Run(OrtValue input, OrtValue lengths) =>
        _session.Run(new RunOptions(), [_inputName, "sequence_lens"], [input, lengths], ["h_n", "c_n"]);

    public void Dispose()
    {
        foreach (var (input, lengths) in _inputs)
        {
            input.Dispose();
            lengths.Dispose();
        }

        _session.Dispose();
    }
}

/// <summary>PyTorch 1.13 (Debian's python3-torch) through tools/bench/time_torch.py, in a child process.</summary>
public static class TorchPeer
{
    public const string Python = "/usr/bin/python3";

    /// <summary>The script's per-repetition seconds, or null (with the reason printed) when it could not run.</summary>
    public static double[]? Time(string repoRoot, string directory, string name, int reps, int threads)
    {
        var start = new ProcessStartInfo(Python)
        {
            ArgumentList = { Path.Combine(repoRoot, "tools/bench/time_torch.py"), directory, name, "--reps", $"{reps}", "--threads", $"{threads}" },
            RedirectStandardOutput = true,
            Environment = { ["OPENBLAS_NUM_THREADS"] = "1" },
        };
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        string? line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        if (process.ExitCode != 0 || line is null)
        {
            Console.WriteLine($"  PyTorch: time_torch.py exited {process.ExitCode}; skipped");
            return null;
        }

        using var json = JsonDocument.Parse(line);
        Console.WriteLine($"  PyTorch: torch {json.RootElement.GetProperty("torch").GetString()}, " +
            $"{json.RootElement.GetProperty("threads").GetInt32()} threads, OPENBLAS_NUM_THREADS={json.RootElement.GetProperty("openblas_threads").GetString()}");
        return [.. json.RootElement.GetProperty("seconds").EnumerateArray().Select(e => e.GetDouble())];
    }

    /// <summary>Runs tools/bench/lstm_onnx.py to write <paramref name="onnxPath"/>.</summary>
    public static bool ExportOnnx(string repoRoot, string modelPath, string onnxPath, bool features)
    {
        var start = new ProcessStartInfo(Python) { ArgumentList = { Path.Combine(repoRoot, "tools/bench/lstm_onnx.py"), modelPath, onnxPath } };
        if (features)
        {
            start.ArgumentList.Add("--features");
        }

        using var process = Process.Start(start)!;
        process.WaitForExit();
        return process.ExitCode == 0 && File.Exists(onnxPath);
    }

    public static string Format(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);
}
