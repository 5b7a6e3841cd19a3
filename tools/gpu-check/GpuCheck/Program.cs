using System.Globalization;
using System.Runtime.InteropServices;
using LstmWorkers.Benchmarks;
using LstmWorkers.Core.Lstm;
using LstmWorkers.Core.Models;
using LstmWorkers.GpuCheck;
using LstmWorkers.Kernels;
using LstmWorkers.Kernels.Runners;

// gpu-check [--device cuda] [--fixtures tests/fixtures|none] [--out DIR] [--quick]
// Checks the ILGPU backend against PyTorch's fixtures and the CPU runner, times it on the
// benchmark workloads W1/W2, and leaves the models and lengths in DIR for cudnn_bench.py.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
string device = Option("--device") ?? "cuda", fixtures = Option("--fixtures") ?? "tests/fixtures", output = Option("--out") ?? "gpu-check-out";
bool quick = args.Contains("--quick");
Directory.CreateDirectory(output);

var configurations = new (string Name, KernelOptions Options)[]
{
    ("default", new KernelOptions()),
    ("cublas", new KernelOptions { InputProjection = InputProjectionVariant.CuBlas }),
    ("naive-step", new KernelOptions { InputProjection = InputProjectionVariant.V2Tiled, Recurrent = RecurrentVariant.V1Naive }),
};
var backends = new List<(string Name, IlgpuLstmBackend Backend)>();
foreach (var (name, options) in quick ? configurations[..1] : configurations)
{
    if (!IlgpuBackends.TryCreate(device, options, out var backend, out string reason))
    {
        if (name == "default")
        {
            Console.WriteLine($"FAILED to open {device}: {reason}");
            return 2;
        }

        Console.WriteLine($"skipping {name}: {reason}");
        continue;
    }

    Console.WriteLine($"backend {name}: {reason}");
    backends.Add((name, backend));
}

int exitCode = 0;
var results = new List<string>();
try
{
    var primary = backends[0].Backend;
    if (fixtures != "none")
    {
        var (cases, failures, fixtureError) = FixtureCheck.Run(fixtures, primary.Load, Console.Out);
        Console.WriteLine($"fixtures: {cases - failures}/{cases} within 1e-5 + 1e-5·|x| of PyTorch float64; max |err| {fixtureError:E2}");
        results.Add($"fixtures {cases - failures}/{cases} ok, max abs err {fixtureError:E2}");
        exitCode = failures == 0 ? 0 : 1;
    }

    var workloads = quick
        ? new[] { Workload.W1(sequences: 24, maxLength: 9, batchSize: 8) with { Vocab = 500, InputSize = 16, Hidden = 24 }, Workload.W2(sequences: 40, maxLength: 12, batchSize: 16) }
        : [Workload.W1(), Workload.W2()];
    foreach (var workload in workloads)
    {
        var model = LstmModel.Load(workload.WriteFiles(output));
        var batches = workload.Batches().ToList();
        double flopPerToken = 2.0 * model.Config.MultiplyAddsPerToken();
        Console.WriteLine($"{workload.Name}: {model.Config}; {workload.Lengths.Length} sequences, {workload.Tokens} tokens, {batches.Count} batches, {flopPerToken / 1e6:F2} MFLOP/token");
        int[] check = [.. new[] { 0, batches.Count / 2, batches.Count - 1 }.Distinct()];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var expected = Bench.CpuResults(model, batches, check);
        Console.WriteLine($"{workload.Name}: CpuLstmRunner on batches {string.Join(", ", check)} in {clock.Elapsed.TotalSeconds:F1} s");
        foreach (var (name, backend) in backends)
        {
            if (name == "naive-step" && workload.Hidden > 128)
            {
                continue; // one thread per unit re-reads W_hh from L2 for every sequence: minutes at H = 256
            }

            using var runner = backend.Load(model);
            double error = Bench.MaxError(runner, batches, check, expected);
            if (name == "default")
            {
                var first = runner.Run(batches[0], CancellationToken.None);
                File.WriteAllBytes(Path.Combine(output, $"{workload.Name}_hn0.bin"), MemoryMarshal.AsBytes(first.HiddenState.AsSpan()).ToArray());
            }

            var (tokensPerSecond, seconds) = Bench.Time(runner, batches, workload.Tokens, passes: name == "default" && !quick ? 3 : 1);
            string line = $"{workload.Name} ilgpu {device} {name,-10} ({backend.ProjectionVariant}, {backend.Options.Recurrent}): " +
                $"{tokensPerSecond,12:N0} tokens/s  {seconds * 1e3,8:F1} ms/pass  {tokensPerSecond * flopPerToken / 1e9,8:F1} GFLOP/s  max |err| vs CpuLstmRunner {error:E2}";
            Console.WriteLine(line);
            results.Add(line);
            exitCode = error <= 1e-3 ? exitCode : 1;
        }
    }
}
finally
{
    foreach (var (_, backend) in backends)
    {
        backend.Dispose();
    }
}

File.WriteAllLines(Path.Combine(output, "ilgpu_results.txt"), results);
Console.WriteLine("summary:");
results.ForEach(r => Console.WriteLine("  " + r));
return exitCode;

string? Option(string name)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}
