using LstmWorkers.Cli.Tests.Support;

namespace LstmWorkers.Cli.Tests.Commands;

/// <summary>A command line that does not parse is refused like any other user error: one <c>lstmw: error:</c> line on
/// stderr naming every problem, exit 1, no help text dumped and nothing written.</summary>
public class UsageErrorTests
{
    [Theory]
    [InlineData("unknown output 'pooled_min'", "encode", "in.parquet", "--model", "m.safetensors", "--out", "o.parquet", "--outputs", "pooled_min")]
    [InlineData("Option '--model' is required.", "encode", "in.parquet", "--out", "o.parquet")]
    [InlineData("--bogus", "encode", "in.parquet", "--model", "m.safetensors", "--out", "o.parquet", "--bogus")]
    [InlineData("--concurrency", "worker", "--concurrency", "many")]
    [InlineData("--total-length", "encode", "in.parquet", "--model", "m.safetensors", "--out", "o.parquet", "--total-length", "x")]
    public async Task A_command_line_that_does_not_parse_gets_one_error_line_and_exit_1(string expected, params string[] arguments)
    {
        var result = await Lstmw.RunAsync(arguments);

        Lstmw.AssertRefused(result);
        Assert.Contains(expected, result.Error);
        Assert.Contains($"lstmw {arguments[0]} --help", result.Error);
        Assert.Equal("", result.Output);
    }
}
