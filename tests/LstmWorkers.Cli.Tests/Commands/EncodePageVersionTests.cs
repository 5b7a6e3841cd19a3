using LstmWorkers.Cli.Tests.Support;
using LstmWorkers.TestSupport;

namespace LstmWorkers.Cli.Tests.Commands;

/// <summary>
/// <c>lstmw encode</c> of the same rows in files with DATA_PAGE_V2 pages and with v1 pages
/// (tests/fixtures/parquet/pages, from arrow-rs and hyparquet-writer): the page version changes nothing in the output.
/// </summary>
public class EncodePageVersionTests
{
    [Theory]
    [InlineData("parquet/pages/e2e_tokens.arrow-rs.v2.dict.zstd.parquet")]
    [InlineData("parquet/pages/e2e_tokens.hyparquet.v2.default.snappy.parquet")]
    [InlineData("parquet/pages/e2e_tokens.arrow-rs.v1.dict.zstd.parquet")]
    public async Task Encode_of_a_file_gives_the_bytes_encode_of_the_duckdb_v1_file_gives(string file)
    {
        using var temp = new TempDirectory();
        string[] model = ["--model", Fixtures.PathOf("models/e2e_tokens.safetensors"), "--device", "cpu"];

        var v1 = await Lstmw.RunAsync(["encode", Fixtures.PathOf("datasets/e2e_tokens.duckdb.parquet"), .. model, "--out", temp.File("v1.parquet")]);
        var other = await Lstmw.RunAsync(["encode", Fixtures.PathOf(file), .. model, "--out", temp.File("other.parquet")]);

        Assert.True(v1.ExitCode == 0, v1.ToString());
        Assert.True(other.ExitCode == 0, other.ToString());
        Assert.Equal(await File.ReadAllBytesAsync(temp.File("v1.parquet")), await File.ReadAllBytesAsync(temp.File("other.parquet")));
    }
}
