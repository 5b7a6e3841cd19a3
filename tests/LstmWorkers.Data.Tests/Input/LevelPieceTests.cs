using LstmWorkers.Data.Input;
using LstmWorkers.Data.Tests.Support;
using static LstmWorkers.Data.Tests.Support.TestParquet;

namespace LstmWorkers.Data.Tests.Input;

/// <summary>
/// The page decoder hands the row walk its levels in pieces (64 Ki by default, more than any fixture here holds); with
/// pieces of 1 to 7 levels rows cross pieces everywhere, at every level, and reading must give exactly what one piece
/// gives: the same rows, and for a bad row the same error after the same rows.
/// </summary>
public sealed class LevelPieceTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string, int> ReadableFilesAndPieces()
    {
        var data = new TheoryData<string, int>();
        foreach (string file in PageFixtures.ReadableFiles())
        {
            foreach (int piece in new[] { 1, 2, 5 })
            {
                data.Add(file, piece);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ReadableFilesAndPieces))]
    public async Task Read_in_small_pieces_gives_the_rows_of_one_piece(string file, int piece)
    {
        var options = new DatasetReadOptions { InputSize = PageFixtures.DatasetOf(file).InputSize, ChunkRows = 5 };

        Rows expected = await RowsOfAsync(PageFixtures.Path(file), options);
        Rows actual = await RowsOfAsync(PageFixtures.Path(file), options with { LevelPiece = piece });

        Assert.Equal(expected, actual);
    }

    public static TheoryData<int, int> BadRowsAndPieces()
    {
        var data = new TheoryData<int, int>();
        for (int bad = 0; bad < 6; bad++)
        {
            foreach (int piece in new[] { 1, 2, 3, 4, 7 })
            {
                data.Add(bad, piece);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(BadRowsAndPieces))]
    public async Task A_bad_row_after_rows_that_cross_pieces_fails_as_with_one_piece(int bad, int piece)
    {
        (string file, var options) = await WriteBadAsync(bad);

        Rows expected = await RowsOfAsync(file, options);
        Rows actual = await RowsOfAsync(file, options with { LevelPiece = piece });

        Assert.NotNull(expected.Error);
        Assert.Equal(expected, actual);
    }

    private async Task<(string File, DatasetReadOptions Options)> WriteBadAsync(int bad)
    {
        string path = _dir.File($"bad{bad}.parquet");
        float?[] Step(int first, int size) => [.. Enumerable.Range(first, size).Select(v => (float?)v)];
        float?[]?[] Steps(int first, int steps) => [.. Enumerable.Range(0, steps).Select(t => Step(first + 10 * t, 2))];
        switch (bad)
        {
            case 0:
                return (await WriteTokensAsync(path, [Row(1, 2, 3, 4, 5), Row(6), [], Row(7, 8, 9), null, Row(10)]), new());
            case 1:
                return (await WriteTokensAsync(path, [Row(1, 2, 3, 4, 5), Row(6, 7, 8), [9, 10, null, 11], Row(12)]), new());
            case 2:
                return (await WriteAsync(path, [TestColumn.List("features", [Values(1, 2, 3, 4, 5, 6), Values(1, 2), Values(1, 2, 3)])]),
                    new() { InputSize = 2 });
            case 3:
                return (await WriteAsync(path, [TestColumn.Nested<float>("features", [Steps(0, 3), Steps(100, 1), [Step(0, 2), Step(5, 3)]])]),
                    new() { InputSize = 2 });
            case 4:
                return (await WriteAsync(path, [TestColumn.Nested<float>("features", [Steps(0, 4), [Step(0, 2), null, Step(4, 2)]])]),
                    new() { InputSize = 2 });
            default:
                return (await WriteAsync(path, [TestColumn.Nested<float>("features", [Steps(0, 2), Steps(50, 3), [Step(0, 2), Step(1, 2), []]])]),
                    new() { InputSize = 2 });
        }
    }

    /// <summary>The ids, lengths and values a read delivers, and its error message, as one comparable value.</summary>
    private sealed record Rows(string Ids, string Lengths, string Values, string? Error);

    private static async Task<Rows> RowsOfAsync(string file, DatasetReadOptions options)
    {
        var chunks = new List<RowChunk>();
        string? error = null;
        try
        {
            await using DatasetReader reader = await DatasetReader.OpenAsync(file, options);
            await foreach (RowChunk chunk in reader.ReadAsync())
            {
                chunks.Add(chunk);
            }
        }
        catch (InputDataException e)
        {
            error = e.Message;
        }
        return new Rows(
            string.Join(",", Chunks.AllIds(chunks)),
            string.Join(",", chunks.SelectMany(c => c.Lengths)),
            string.Join(",", chunks.SelectMany(c => c.Tokens is not null ? Chunks.TokenValues(c).Select(v => (float)v) : Chunks.FeatureValues(c))),
            error);
    }
}
