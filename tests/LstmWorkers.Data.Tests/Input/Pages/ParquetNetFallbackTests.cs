using LstmWorkers.Data.Input;
using LstmWorkers.Data.Tests.Support;

namespace LstmWorkers.Data.Tests.Input.Pages;

/// <summary>
/// Column chunks of v1 pages go to the page decoder; what it does not read goes to Parquet.Net's read. Here the v1 page
/// headers of a Parquet.Net-written file say their levels are BIT_PACKED (the decoder reads RLE levels only) while the
/// bytes stay RLE, which Parquet.Net 6.1 decodes whatever the header says: the rows must come back unchanged.
/// </summary>
public sealed class ParquetNetFallbackTests : IDisposable
{
    // A DataPageHeader in Thrift's compact protocol: ... field 2 (i32 encoding), field 3 (i32 definition_level_encoding = RLE),
    // field 4 (i32 repetition_level_encoding = RLE); 0x15 is "next field, i32", 0x06 is RLE (3) zigzagged, 0x08 BIT_PACKED (4).
    private const byte NextI32 = 0x15, Rle = 0x06, BitPacked = 0x08;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Read_of_v1_pages_with_levels_the_page_decoder_does_not_read_goes_to_parquet_net()
    {
        var rows = Enumerable.Range(0, 300).Select(r => TestParquet.Row([.. Enumerable.Range(0, r % 17).Select(t => (long)(r * 31 + t))])).ToArray();
        string original = await TestParquet.WriteTokensAsync(_dir.File("rle.parquet"), rows, rowGroupSize: 128);
        string path = _dir.File("bit-packed.parquet");
        byte[] bytes = await File.ReadAllBytesAsync(original);
        int marked = MarkLevelsBitPacked(bytes);
        await File.WriteAllBytesAsync(path, bytes);

        List<RowChunk> expected = await Chunks.ReadAllAsync(original, new DatasetReadOptions());
        List<RowChunk> actual = await Chunks.ReadAllAsync(path, new DatasetReadOptions());

        Assert.True(marked >= 6, $"{marked} page headers marked (two columns, three row groups)");
        Assert.Equal(Chunks.AllTokens(expected), Chunks.AllTokens(actual));
        Assert.Equal(Chunks.AllIds(expected), Chunks.AllIds(actual));
    }

    [Fact]
    public async Task Read_of_a_chunk_declined_at_its_second_page_starts_over_with_parquet_net()
    {
        string file = "features_float.arrow-rs.v1.dict.snappy.parquet"; // the features chunk holds two data pages
        PageFixtures.Dataset dataset = PageFixtures.DatasetOf(file);
        var options = new DatasetReadOptions { InputSize = dataset.InputSize };
        byte[] bytes = await File.ReadAllBytesAsync(PageFixtures.Path(file));
        int last = LevelEncodings(bytes).Last();
        bytes[last] = BitPacked;
        string path = _dir.File("second-page-bit-packed.parquet");
        await File.WriteAllBytesAsync(path, bytes);

        List<RowChunk> chunks = await Chunks.ReadAllAsync(path, options);

        Assert.Equal(dataset.Ids, Chunks.AllIds(chunks));
        Assert.Equal(dataset.Sequences.Select(s => s!.Length / dataset.InputSize), chunks.SelectMany(c => c.Lengths));
        Assert.Equal(dataset.Sequences.SelectMany(s => s!), chunks.SelectMany(Chunks.FeatureValues));
    }

    /// <summary>Rewrites every v1 data page header's definition level encoding from RLE to BIT_PACKED; returns how many.</summary>
    private static int MarkLevelsBitPacked(byte[] bytes)
    {
        int marked = 0;
        foreach (int at in LevelEncodings(bytes))
        {
            bytes[at] = BitPacked;
            marked++;
        }
        return marked;
    }

    /// <summary>Where the v1 data page headers' definition level encodings (RLE, followed by an RLE repetition level encoding) lie.</summary>
    private static List<int> LevelEncodings(byte[] bytes)
    {
        var found = new List<int>();
        for (int i = 0; i + 5 < bytes.Length; i++)
        {
            if (bytes[i] == NextI32 && bytes[i + 2] == NextI32 && bytes[i + 3] == Rle && bytes[i + 4] == NextI32 && bytes[i + 5] == Rle)
            {
                found.Add(i + 3);
            }
        }
        return found;
    }
}
