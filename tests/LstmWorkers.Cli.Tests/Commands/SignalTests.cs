using LstmWorkers.Cli.Tests.Support;
using LstmWorkers.TestSupport;

namespace LstmWorkers.Cli.Tests.Commands;

/// <summary>Contract §9: SIGTERM or Ctrl-C stops <c>lstmw encode</c> promptly, and nothing remains at or beside <c>--out</c>.</summary>
public class SignalTests
{
    [Theory]
    [InlineData("SIGTERM", 143)]
    [InlineData("SIGINT", 130)]
    public async Task A_signal_stops_an_embedded_encode_promptly_and_leaves_nothing_beside_the_output(string signal, int expectedExitCode)
    {
        using var temp = new TempDirectory();
        string model = SafeTensorsBuilder.RandomLstm(32, 96, layers: 2, bidirectional: true, vocab: 100).WriteTo(temp.File("model.safetensors"));
        var random = new Random(5);
        int[][] rows = [.. Enumerable.Range(0, 20_000).Select(_ => Enumerable.Range(0, random.Next(50, 150)).Select(_ => random.Next(100)).ToArray())];
        string input = await TokenFile.WriteAsync(temp.File("in.parquet"), rows);
        string outDirectory = Path.Combine(temp.Path, "out");
        Directory.CreateDirectory(outDirectory);

        using var encode = new RoleProcess(new Dictionary<string, string>(), "encode", input, "--model", model,
            "--out", Path.Combine(outDirectory, "encoded.parquet"), "--device", "cpu");
        await WaitForAsync(() => Directory.EnumerateFiles(outDirectory, "*.tmp", SearchOption.AllDirectories).Any(), encode);
        if (signal == "SIGTERM")
        {
            encode.Terminate();
        }
        else
        {
            encode.Interrupt();
        }

        int? exitCode = await encode.WaitForExitAsync(TimeSpan.FromSeconds(10));

        Assert.True(exitCode == expectedExitCode, $"exit {exitCode?.ToString() ?? "none within 10 s"}\n{encode.Log}");
        Assert.Contains("lstmw: cancelled; no output was written", encode.Log);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outDirectory));
    }

    /// <summary>Waits (up to a minute) until <paramref name="condition"/> holds: here, until the job writes its output.</summary>
    private static async Task WaitForAsync(Func<bool> condition, RoleProcess process)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"the job did not start writing within a minute\n{process.Log}");
            await Task.Delay(100);
        }
    }
}
