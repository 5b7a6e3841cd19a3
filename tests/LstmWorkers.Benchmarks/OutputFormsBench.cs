using System.Diagnostics;
using System.Globalization;

namespace LstmWorkers.Benchmarks;

/// <summary>
/// <c>lstmw-bench forms w1|faults</c> (issue 13): what each output form costs, as a user runs it — the published
/// <c>lstmw encode --device cpu</c> on the workload's Parquet file with a padded <c>output</c>, a ragged one, only
/// <c>pooled_mean</c>, and only <c>h_n</c> — passes interleaved, best wall time of each, and the file each writes,
/// as ratios against the padded output of the same run.
/// </summary>
public static class OutputFormsBench
{
    private static readonly (string Name, string[] Arguments)[] Forms =
    [
        ("output (padded)", ["--outputs", "output"]),
        ("output --output-layout ragged", ["--outputs", "output", "--output-layout", "ragged"]),
        ("pooled_mean", ["--outputs", "pooled_mean"]),
        ("h_n", ["--outputs", "h_n"]),
    ];

    public static async Task<int> RunAsync(BenchOptions options, string repoRoot)
    {
        string lstmw = EndToEndBench.Publish(repoRoot, Path.Combine(options.Directory, "lstmw"));
        Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Trim()}");
        foreach (var workload in options.Workloads)
        {
            string model = Path.Combine(options.Directory, $"{workload.Name}.safetensors");
            string input = Path.Combine(options.Directory, $"{workload.Name}.parquet");
            if (!File.Exists(input) || !File.Exists(model) || options.Regenerate)
            {
                Directory.CreateDirectory(options.Directory);
                workload.WriteFiles(options.Directory);
                await WorkloadParquet.WriteAsync(workload, input);
            }

            int longest = workload.Lengths.Max();
            Console.WriteLine();
            double padding = 1 - (double)workload.Tokens / ((long)longest * workload.Lengths.Length);
            Console.WriteLine(Invariant(
                $"{workload.Name}: {workload.Lengths.Length:N0} sequences, {workload.Tokens:N0} tokens, T = {longest}: {100 * padding:0.0}% of a padded output is padding; best of {options.Reps}"));
            var seconds = Forms.Select(_ => new List<double>()).ToArray();
            var bytes = new long[Forms.Length];
            for (int pass = 0; pass < options.Reps; pass++)
            {
                for (int f = 0; f < Forms.Length; f++)
                {
                    string output = Path.Combine(options.Directory, $"{workload.Name}-form{f}.parquet");
                    seconds[f].Add(Encode(lstmw, [input, "--model", model, "--out", output, "--device", "cpu", .. Forms[f].Arguments]));
                    bytes[f] = new FileInfo(output).Length;
                }
            }

            Console.WriteLine("  | form | file | ÷ padded | wall (best) | ÷ padded |");
            Console.WriteLine("  | --- | --- | --- | --- | --- |");
            for (int f = 0; f < Forms.Length; f++)
            {
                Console.WriteLine(Invariant($"  | `{Forms[f].Name}` | {bytes[f] / 1e6:0.0} MB | {(double)bytes[f] / bytes[0]:0.000} | {seconds[f].Min():0.00} s | {seconds[f].Min() / seconds[0].Min():0.00} |"));
            }
        }

        return 0;
    }

    private static double Encode(string lstmw, string[] arguments)
    {
        var start = new ProcessStartInfo(lstmw) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("encode");
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? clock.Elapsed.TotalSeconds
            : throw new InvalidOperationException($"lstmw encode {string.Join(' ', arguments)} exited {process.ExitCode}: {error.Result}");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
