using LstmWorkers.Data.Input;
using LstmWorkers.Data.Tests.Support;
using static LstmWorkers.Data.Tests.Support.TestParquet;

namespace LstmWorkers.Data.Tests.Input;

/// <summary>Reading a range of rows: the same rows the whole read gives there, from only the row groups the range overlaps.</summary>
public sealed class DatasetReaderRangeTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Two files, 7 rows in groups of 3 (3, 3, 1) and 5 rows in groups of 2 (2, 2, 1): 12 rows, 6 row groups.</summary>
    private async Task<string> TwoFilesAsync(long?[]?[]? second = null)
    {
        Directory.CreateDirectory(_dir.File("d"));
        await WriteTokensAsync(_dir.File("d/a.parquet"), Rows(0, 7), rowGroupSize: 3, firstId: 0);
        await WriteTokensAsync(_dir.File("d/b.parquet"), second ?? Rows(7, 5), rowGroupSize: 2, firstId: 7);
        return _dir.File("d");
    }

    private static long?[]?[] Rows(int first, int count) =>
        Enumerable.Range(first, count).Select(i => Fixtures.Tokens(i, i % 4).Select(t => (long?)t).ToArray()).ToArray();

    [Fact]
    public async Task The_row_groups_are_given_from_the_footers_in_row_order()
    {
        await using var reader = await DatasetReader.OpenAsync(await TwoFilesAsync(), new());

        Assert.Equal([(0, 0, 0L, 3L), (0, 1, 3, 3), (0, 2, 6, 1), (1, 0, 7, 2), (1, 1, 9, 2), (1, 2, 11, 1)],
            reader.RowGroups.Select(g => (g.File, g.Group, g.Rows.First, g.Rows.Count)));
    }

    [Theory]
    [InlineData(0, 12)]
    [InlineData(4, 5)]
    [InlineData(6, 1)]
    [InlineData(5, 5)]
    [InlineData(11, 1)]
    [InlineData(3, 0)]
    public async Task A_range_gives_the_rows_the_whole_read_gives_there(long first, long count)
    {
        await using var reader = await DatasetReader.OpenAsync(await TwoFilesAsync(), new() { ChunkRows = 2 });
        var all = await Chunks.ReadAllAsync(reader);

        var chunks = new List<RowChunk>();
        await foreach (var chunk in reader.ReadAsync(new RowRange(first, count)))
        {
            chunks.Add(chunk);
        }

        Assert.Equal(Chunks.AllIds(all).Skip((int)first).Take((int)count), Chunks.AllIds(chunks));
        Assert.Equal(Chunks.AllTokens(all).Skip((int)first).Take((int)count), Chunks.AllTokens(chunks));
        Assert.All(chunks, c => Assert.InRange(c.Count, 1, 2));
        Assert.Equal(chunks.Select(c => c.FirstRow), chunks.Select((c, i) => first + chunks.Take(i).Sum(p => p.Count)));
    }

    [Fact]
    public async Task A_bad_row_after_the_range_in_a_row_group_it_overlaps_does_not_fail_it()
    {
        long?[]?[] second = Rows(7, 5);
        second[1] = null; // row 8: in row group (7, 2), with row 7
        await using var reader = await DatasetReader.OpenAsync(await TwoFilesAsync(second), new());

        var before = new List<RowChunk>();
        await foreach (var chunk in reader.ReadAsync(new RowRange(5, 3)))
        {
            before.Add(chunk);
        }

        Assert.Equal(["5", "6", "7"], Chunks.AllIds(before));
        var error = await Assert.ThrowsAsync<InputDataException>(async () =>
        {
            await foreach (var _ in reader.ReadAsync(new RowRange(8, 2)))
            {
            }
        });
        Assert.Equal(8, error.Row);
    }

    [Fact]
    public async Task A_range_beyond_the_rows_is_refused()
    {
        await using var reader = await DatasetReader.OpenAsync(await TwoFilesAsync(), new());

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () =>
        {
            await foreach (var _ in reader.ReadAsync(new RowRange(10, 3)))
            {
            }
        });
    }
}
