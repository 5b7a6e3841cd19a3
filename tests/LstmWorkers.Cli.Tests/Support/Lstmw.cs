using System.Diagnostics;

namespace LstmWorkers.Cli.Tests.Support;

/// <summary>Runs the built <c>lstmw</c> as a separate process, as a user would, and captures what it prints.</summary>
public static class Lstmw
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
    }

    public static Task<Result> RunAsync(params string[] arguments) => RunAsync(new Dictionary<string, string>(), arguments);

    public static Task<Result> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        Processes.RunAsync(environment, "dotnet", [Path.Combine(AppContext.BaseDirectory, "lstmw.dll"), .. arguments]);

    /// <summary>
    /// Runs <c>encode</c> into a fresh directory and holds it to the refusal rule (contract §4, §9): exit 1, stderr exactly
    /// one line, starting <c>lstmw: error: </c>, and nothing left in the output's directory (no result, no temporary file).
    /// </summary>
    public static async Task<Result> EncodeRefusedAsync(string input, string model, params string[] extra)
    {
        using var temp = new TempDirectory();
        string output = Path.Combine(temp.Path, "out", "encoded.parquet");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);

        var result = await RunAsync(["encode", input, "--model", model, "--out", output, .. extra]);

        AssertRefused(result);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(output)!));
        return result;
    }

    /// <summary>Exit 1 and stderr exactly one line, <c>lstmw: error: …</c> (no stack trace, no second line).</summary>
    public static void AssertRefused(Result result)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        string[] lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1 && lines[0].StartsWith("lstmw: error: ", StringComparison.Ordinal), result.ToString());
    }
}

/// <summary>Runs a program to completion and captures what it prints.</summary>
public static class Processes
{
    public static Task<Lstmw.Result> RunAsync(string program, params string[] arguments) =>
        RunAsync(new Dictionary<string, string>(), program, arguments);

    public static async Task<Lstmw.Result> RunAsync(IReadOnlyDictionary<string, string> environment, string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Hung: say so with what it printed until now, rather than a bare cancellation that hides where it was.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return new Lstmw.Result(-1, await output, await error + "\n(still running after 5 minutes: killed by the test)");
        }

        return new Lstmw.Result(process.ExitCode, await output, await error);
    }
}
