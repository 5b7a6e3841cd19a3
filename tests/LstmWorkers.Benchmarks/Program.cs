using System.Diagnostics;
using System.Globalization;
using LstmWorkers.Benchmarks;
using LstmWorkers.Core.Lstm;
using LstmWorkers.Core.Lstm.Cpu;
using LstmWorkers.Core.Models;

// The CPU speed benchmark (issue 5): W1 and W2 through our --device cpu runner, ONNX Runtime's LSTM
// op and PyTorch 1.13, in one run. See docs/BENCHMARKS.md for the figures and the command.
if (args.Length > 0 && args[0] == "kernels")
{
    KernelBench.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : CpuLstmRunner.ChooseLanes(CpuVectorWidth.Auto),
        args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 2.0);
    return 0;
}

if (args.Length > 0 && args[0] == "verify")
{
    // The 256- and 512-bit kernels must give the same bits (run where AVX-512 exists to mean anything).
    bool same = true;
    foreach (var workload in new[] { Workload.W1(), Workload.W2() })
    {
        string directory = "/tmp/lstmw-bench";
        Directory.CreateDirectory(directory);
        var model = LstmModel.Load(workload.WriteFiles(directory));
        var batches = workload.Batches().ToList();
        var narrow = CreateRunner("cpu256", model);
        var wide = CreateRunner("cpu512", model);
        foreach (int index in new[] { 0, 1, batches.Count - 1 })
        {
            var a = narrow.Run(batches[index], CancellationToken.None);
            var b = wide.Run(batches[index], CancellationToken.None);
            bool equal = a.Output!.AsSpan().SequenceEqual(b.Output) && a.HiddenState.AsSpan().SequenceEqual(b.HiddenState) &&
                a.CellState.AsSpan().SequenceEqual(b.CellState);
            same &= equal;
            Console.WriteLine($"{workload.Name} batch {index}: 256-bit and 512-bit results {(equal ? "bitwise identical" : "DIFFER")}");
        }
    }

    Console.WriteLine($"Avx512F.IsSupported = {System.Runtime.Intrinsics.X86.Avx512F.IsSupported}, Vector512.IsHardwareAccelerated = {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}");
    return same ? 0 : 1;
}

if (args.Length > 1 && args[0] == "parquet")
{
    // Writes {dir}/{name}.parquet and {name}.safetensors for an end-to-end `lstmw encode` run.
    string directory = args.Length > 3 && args[2] == "--dir" ? args[3] : "/tmp/lstmw-bench";
    foreach (var workload in BenchOptions.Parse([args[1]])?.Workloads ?? [])
    {
        Directory.CreateDirectory(directory);
        workload.WriteFiles(directory);
        string path = Path.Combine(directory, $"{workload.Name}.parquet");
        await WorkloadParquet.WriteAsync(workload, path);
        Console.WriteLine($"wrote {path}: {workload.Lengths.Length:N0} rows, {workload.Tokens:N0} tokens");
    }

    return 0;
}

if (args.Length > 0 && args[0] == "write")
{
    return await ParquetWriteBench.RunAsync(args.Length > 2 && args[1] == "--dir" ? args[2] : "/tmp/lstmw-bench");
}

if (args.Length > 1 && args[0] == "forms")
{
    return BenchOptions.Parse(args[1..]) is { } forms ? await OutputFormsBench.RunAsync(forms, FindRepoRoot()) : 2;
}

if (args.Length > 0 && args[0] == "read")
{
    return await ParquetReadBench.RunAsync(args[1..]);
}

if (args.Length > 1 && args[0] == "e2e")
{
    return BenchOptions.Parse(args[1..], large: true) is { } e2e ? await EndToEndBench.RunAsync(e2e, FindRepoRoot()) : 2;
}

var options = BenchOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

string repoRoot = FindRepoRoot();
Directory.CreateDirectory(options.Directory);
Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {new CpuLstmBackend().Device}, .NET {Environment.Version}, " +
    $"load average {LoadAverage()}");
foreach (var workload in options.Workloads)
{
    RunWorkload(workload, options, repoRoot);
}

return 0;

static void RunWorkload(Workload workload, BenchOptions options, string repoRoot)
{
    string modelPath = Path.Combine(options.Directory, $"{workload.Name}.safetensors");
    if (!File.Exists(modelPath) || options.Regenerate)
    {
        workload.WriteFiles(options.Directory);
    }

    var model = LstmModel.Load(modelPath);
    var batches = workload.Batches().Take(options.BatchLimit).ToList();
    long tokens = batches.Sum(b => b.BatchSizes.Sum(size => (long)size));
    double flopsPerToken = 2.0 * model.Config.MultiplyAddsPerToken();
    Console.WriteLine();
    Console.WriteLine($"{workload.Name}: {model.Config}; {batches.Sum(b => b.BatchSize)} sequences, {tokens:N0} tokens, " +
        $"{batches.Count} batches of ≤ {workload.BatchSize}; {flopsPerToken / 1e6:0.00} MFLOP per token");

    var peers = new List<IPeer>();
    foreach (string runnerName in options.Runners)
    {
        var clock = Stopwatch.StartNew();
        var runner = CreateRunner(runnerName, model);
        Console.WriteLine($"  {runnerName}: load {clock.Elapsed.TotalSeconds:0.000} s; {options.Workers} workers");
        peers.Add(new RunnerPeer(runnerName, runner, batches, options.Workers));
    }

    OnnxPeer? onnx = null;
    if (options.Onnx)
    {
        bool features = options.OnnxFeatures && workload.Vocab > 0;
        string onnxPath = Path.Combine(options.Directory, features ? $"{workload.Name}.features.onnx" : $"{workload.Name}.onnx");
        if ((File.Exists(onnxPath) && !options.Regenerate) || TorchPeer.ExportOnnx(repoRoot, modelPath, onnxPath, features))
        {
            var limited = workload with { Lengths = workload.Lengths[..(int)Math.Min(workload.Lengths.Length, (long)options.BatchLimit * workload.BatchSize)] };
            onnx = new OnnxPeer(onnxPath, limited, options.Threads, features ? model.Embedding!.Data : null);
            peers.Add(onnx);
            Console.WriteLine($"  ONNX Runtime: {options.Threads} intra-op threads,{(features ? " embedding outside the graph (not timed)," : "")} padded batches hold {onnx.PaddedTokens:N0} steps " +
                $"({(double)onnx.PaddedTokens / tokens:0.00}× the tokens)");
            CheckAgainstOnnx(onnx, peers[0], model, batches);
        }
        else
        {
            Console.WriteLine("  ONNX Runtime: could not write the ONNX model (needs Debian's python3-onnx); skipped");
        }
    }

    var times = peers.ToDictionary(p => p.Name, _ => new List<double>());
    foreach (var peer in peers)
    {
        peer.RunOnce();
    }

    for (int rep = 0; rep < options.Reps; rep++)
    {
        foreach (var peer in peers)
        {
            times[peer.Name].Add(peer.RunOnce());
        }
    }

    if (options.Torch)
    {
        if (options.BatchLimit < int.MaxValue)
        {
            Console.WriteLine("  PyTorch: skipped with --batches");
        }
        else if (TorchPeer.Time(repoRoot, options.Directory, workload.Name, options.TorchReps, options.Threads) is { } torchTimes)
        {
            times["PyTorch"] = [.. torchTimes];
        }
    }

    foreach (var peer in peers)
    {
        peer.Dispose();
    }

    string ours = options.Runners[0];
    double oursBest = times[ours].Min();
    Console.WriteLine($"  {"peer",-14} {"best s",8} {"median s",9} {"tokens/s",11} {"GFLOP/s",8}  {ours} is faster by");
    foreach (var (name, seconds) in times)
    {
        double best = seconds.Min(), median = seconds.Order().ElementAt(seconds.Count / 2);
        string ratio = name == ours ? "" : $"{best / oursBest:0.00}×";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name,-14} {best,8:0.000} {median,9:0.000} {tokens / best,11:N0} {tokens * flopsPerToken / best / 1e9,8:0.0}  {ratio}"));
    }
}

static ILstmRunner CreateRunner(string name, LstmModel model) => name switch
{
    "cpu" => new CpuLstmBackend().Load(model),
    "cpu256" => new CpuLstmBackend(new CpuLstmOptions { VectorWidth = CpuVectorWidth.Bits256 }).Load(model),
    "cpu512" => new CpuLstmBackend(new CpuLstmOptions { VectorWidth = CpuVectorWidth.Bits512 }).Load(model),
    "cpu-notable" => new CpuLstmBackend(new CpuLstmOptions { InputTableBudgetBytes = 0 }).Load(model),
    "cpu-1thread" => new CpuLstmBackend(new CpuLstmOptions { MaxThreadsPerRun = 1 }).Load(model),
    _ when name.StartsWith("cpu-chunk", StringComparison.Ordinal) =>
        new CpuLstmBackend(new CpuLstmOptions { ChunkRows = int.Parse(name["cpu-chunk".Length..], CultureInfo.InvariantCulture) }).Load(model),
    "v1" => new RowDotCpuLstmRunner(model),
    "reference" => new ReferenceLstmRunner(model),
    _ => throw new ArgumentException($"unknown runner '{name}'"),
};

static void CheckAgainstOnnx(OnnxPeer onnx, IPeer ours, LstmModel model, IReadOnlyList<LstmBatch> batches)
{
    if (ours is not RunnerPeer)
    {
        return;
    }

    var runner = CreateRunner("cpu", model);
    double worst = 0;
    foreach (int index in new[] { 0, batches.Count - 1 })
    {
        var expected = onnx.HiddenState(index);
        var actual = runner.Run(batches[index] with { NeedOutput = false }, CancellationToken.None).HiddenState;
        worst = Math.Max(worst, expected.Zip(actual, (a, b) => Math.Abs((double)a - b)).Max());
    }

    Console.WriteLine($"  check: h_n of the first and last batch, ours vs ONNX Runtime, max |difference| = {worst:0.0e0}");
}

static string FindRepoRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "LstmWorkers.sln")))
        {
            return dir.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
