using LstmWorkers.Data.Input;
using LstmWorkers.Data.Tests.Support;

namespace LstmWorkers.Data.Tests.Input;

/// <summary>
/// Files written by arrow-rs (parquet-wasm) and hyparquet-writer with DATA_PAGE_V2 pages, and by arrow-rs with v1 pages
/// (tests/fixtures/parquet/pages/write_page_fixtures.mjs): every type of sequence and id column, every encoding and
/// codec those writers use, OPTIONAL and REQUIRED columns, null ids, empty lists and several pages per column chunk.
/// Each file is compared, row by row, with the dataset in pages.json it was written from.
/// </summary>
public sealed class PageFixtureTests
{
    public static TheoryData<string> ReadableFiles => PageFixtures.ReadableFiles();

    [Theory]
    [MemberData(nameof(ReadableFiles))]
    public async Task Read_gives_every_row_of_the_dataset(string file)
    {
        PageFixtures.Dataset expected = PageFixtures.DatasetOf(file);
        var options = new DatasetReadOptions { InputSize = expected.InputSize, ChunkRows = 7 };

        List<RowChunk> chunks = await Chunks.ReadAllAsync(PageFixtures.Path(file), options);

        Assert.Equal(expected.Ids, Chunks.AllIds(chunks));
        List<float[]> actual = chunks.SelectMany(c => Enumerable.Range(0, c.Count).Select(i => SequenceOf(c, i))).ToList();
        Assert.Equal(expected.Sequences.Count, actual.Count);
        for (int row = 0; row < actual.Count; row++)
        {
            Assert.True(expected.Sequences[row]!.SequenceEqual(actual[row]),
                $"row {row}: expected [{string.Join(", ", expected.Sequences[row]!)}], read [{string.Join(", ", actual[row])}]");
        }
    }

    [Theory]
    [MemberData(nameof(ReadableFiles))]
    public async Task Scan_counts_the_rows_and_steps_of_the_dataset(string file)
    {
        PageFixtures.Dataset expected = PageFixtures.DatasetOf(file);
        int perStep = Math.Max(1, expected.InputSize);
        await using DatasetReader reader = await DatasetReader.OpenAsync(PageFixtures.Path(file), new DatasetReadOptions { InputSize = expected.InputSize });

        DatasetStats stats = await reader.ScanAsync();

        int[] steps = expected.Sequences.Select(s => s!.Length / perStep).ToArray();
        Assert.Equal(new DatasetStats(steps.Length, steps.Sum(), steps.Max()), stats);
    }

    [Theory]
    [InlineData("tokens_null_row.arrow-rs.v2.dict.snappy.parquet")]
    [InlineData("tokens_null_row.hyparquet.v2.plain.none.parquet")]
    public async Task Read_of_a_null_sequence_on_a_later_page_names_its_row_and_id(string file)
    {
        string path = PageFixtures.Path(file);

        var error = await Assert.ThrowsAsync<InputDataException>(() => Chunks.ReadAllAsync(path, new DatasetReadOptions()));

        Assert.Equal($"{path}: row 29 (id 1029), column 'tokens': the sequence is null", error.Message);
    }

    [Theory]
    [InlineData("corrupt.page-past-chunk.parquet", "past the end of the column chunk")]
    [InlineData("corrupt.levels-past-page.parquet", "definition levels")]
    [InlineData("corrupt.num-values-too-large.parquet", "num_values")]
    [InlineData("corrupt.dictionary-index-bit-width.parquet", "bit width 40")]
    [InlineData("corrupt.dictionary-too-large.parquet", "dictionary")]
    [InlineData("corrupt.delta-block-size.parquet", "block size 100")]
    [InlineData("corrupt.v1-dictionary-header-as-v2.parquet", "dictionary page header lacks num_values")]
    [InlineData("corrupt.v1-dictionary-header-missing.parquet", "dictionary page header lacks num_values")]
    [InlineData("codec.lzo.parquet", "LZO")]
    [InlineData("codec.unknown.parquet", "codec 9")]
    public async Task Read_of_a_bad_page_or_codec_is_one_error_naming_file_row_group_and_column(string file, string detail)
    {
        string path = PageFixtures.Path(file);

        var error = await Assert.ThrowsAsync<InputDataException>(() => Chunks.ReadAllAsync(path, new DatasetReadOptions()));

        Assert.Equal((path, "tokens", (long?)null), (error.File, error.Column, error.Row));
        Assert.StartsWith($"{path}: column 'tokens': cannot read row group 0: ", error.Message);
        Assert.Contains(detail, error.Detail);
    }

    private static float[] SequenceOf(RowChunk chunk, int index) =>
        chunk.Tokens is not null ? Array.ConvertAll(Chunks.TokensOf(chunk, index), t => (float)t) : Chunks.FeaturesOf(chunk, index);
}
