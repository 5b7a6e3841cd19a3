using LstmWorkers.Data.Input;
using LstmWorkers.Data.Tests.Support;
using static LstmWorkers.Data.Tests.Support.TestParquet;

namespace LstmWorkers.Data.Tests.Input;

/// <summary>The row group a pass decoded last is kept for the next pass (as a coordinator reads the shards of a row group
/// larger than a part), and used only where it is still what the file holds and what the pass's options accept. Not run
/// in parallel with other tests, whose passes would take the kept row group in between.</summary>
[Collection(KeptRowGroupCollection.Name)]
public sealed class DatasetReaderKeptGroupTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static long?[]?[] Rows(int first, int count, int shift = 0) =>
        Enumerable.Range(first, count).Select(i => Fixtures.Tokens(i + shift, 3).Select(t => (long?)t).ToArray()).ToArray();

    private static int[][] Ints(long?[]?[] rows) => [.. rows.Select(r => r!.Select(t => (int)t!.Value).ToArray())];

    private static async Task<List<RowChunk>> ReadRangeAsync(string path, DatasetReadOptions options, RowRange range)
    {
        await using var reader = await DatasetReader.OpenAsync(path, options);
        var chunks = new List<RowChunk>();
        await foreach (var chunk in reader.ReadAsync(range))
        {
            chunks.Add(chunk);
        }
        return chunks;
    }

    [Fact]
    public async Task A_file_rewritten_between_passes_is_decoded_anew()
    {
        string path = await WriteTokensAsync(_dir.File("a.parquet"), Rows(0, 6), firstId: 0);
        DateTime written = File.GetLastWriteTimeUtc(path);
        Assert.Equal(Ints(Rows(0, 2)), Chunks.AllTokens(await ReadRangeAsync(path, new(), new RowRange(0, 2))));

        await WriteTokensAsync(path, Rows(0, 6, shift: 11), firstId: 0); // same rows and lengths, other tokens
        File.SetLastWriteTimeUtc(path, written.AddSeconds(1));

        Assert.Equal(Ints(Rows(2, 3, shift: 11)), Chunks.AllTokens(await ReadRangeAsync(path, new(), new RowRange(2, 3))));
    }

    [Fact]
    public async Task A_pass_with_other_options_checks_the_rows_itself()
    {
        string path = await WriteTokensAsync(_dir.File("a.parquet"), [[1, 2], [3, 40], [5]], firstId: 0);
        Assert.Equal([[1, 2]], Chunks.AllTokens(await ReadRangeAsync(path, new() { VocabSize = 50 }, new RowRange(0, 1))));

        var error = await Assert.ThrowsAsync<InputDataException>(() => ReadRangeAsync(path, new() { VocabSize = 10 }, new RowRange(1, 2)));

        Assert.Equal(1, error.Row);
        Assert.Contains("token id 40", error.Message);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KeptRowGroupCollection
{
    public const string Name = "kept row group";
}
