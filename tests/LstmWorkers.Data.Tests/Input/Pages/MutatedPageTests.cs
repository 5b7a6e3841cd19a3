using LstmWorkers.Data.Input;
using LstmWorkers.Data.Tests.Support;
using Parquet;

namespace LstmWorkers.Data.Tests.Input.Pages;

/// <summary>
/// The page fixtures (v2 and v1 pages) with bytes of their column chunks changed (fixed seeds): each read either succeeds or
/// ends in one <see cref="InputDataException"/> from the page decoder (corrupt or unsupported data), never another
/// exception or a hang. Every chunk goes to the page decoder first; a v1 chunk it does not read (a mangled level encoding)
/// goes on to Parquet.Net, whose own errors on corrupt pages must come out the same way.
/// </summary>
public sealed class MutatedPageTests : IDisposable
{
    private const int Mutations = 60;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("tokens_int64.arrow-rs.v2.dict.snappy.parquet", 1)]
    [InlineData("tokens_int64.arrow-rs.v2.dict-then-delta.snappy.parquet", 2)]
    [InlineData("tokens_int32.arrow-rs.v2.delta.none.parquet", 3)]
    [InlineData("tokens_int32.arrow-rs.v2.dict.none.parquet", 4)]
    [InlineData("features_float.arrow-rs.v2.delta-bytes.lz4raw.parquet", 5)]
    [InlineData("features_double.arrow-rs.v2.byte-stream-split.zstd.parquet", 6)]
    [InlineData("features_nested.arrow-rs.v2.delta-length.brotli.parquet", 7)]
    [InlineData("features_nested.hyparquet.v2.delta-bytes.gzip.parquet", 8)]
    [InlineData("tokens_int64.hyparquet.v2.default.snappy.parquet", 9)]
    [InlineData("tokens_int64.arrow-rs.v2.dict.lz4.groups.parquet", 10)]
    [InlineData("tokens_int64.arrow-rs.v1.dict.snappy.parquet", 11)]
    [InlineData("tokens_int32.arrow-rs.v1.dict.snappy.parquet", 12)]
    [InlineData("features_float.arrow-rs.v1.dict.snappy.parquet", 13)]
    [InlineData("features_nested.arrow-rs.v1.plain.lz4.parquet", 14)]
    [InlineData("features_double.arrow-rs.v1.dict.snappy.parquet", 15)]
    public async Task Read_of_a_mutated_chunk_succeeds_or_fails_with_one_page_error(string file, int seed)
    {
        PageFixtures.Dataset dataset = PageFixtures.DatasetOf(file);
        byte[] original = await File.ReadAllBytesAsync(PageFixtures.Path(file));
        (long start, long end) = await ChunkBytesAsync(PageFixtures.Path(file));
        var random = new Random(seed);
        for (int m = 0; m < Mutations; m++)
        {
            byte[] bytes = (byte[])original.Clone();
            for (int k = random.Next(1, 4); k > 0; k--)
            {
                int at = (int)random.NextInt64(start, end);
                bytes[at] = random.Next(3) == 0 ? (byte)(bytes[at] ^ (1 << random.Next(8))) : (byte)random.Next(256);
            }
            string path = _dir.File($"m{m}.parquet");
            await File.WriteAllBytesAsync(path, bytes);

            Exception? error = await Record.ExceptionAsync(() => ReadAsync(path, dataset.InputSize).WaitAsync(TimeSpan.FromSeconds(20)));

            if (error is not null)
            {
                var data = Assert.IsType<InputDataException>(error);
                Assert.True(data.InnerException is null or InvalidDataException or NotSupportedException,
                    $"mutation {m}: {data.InnerException}");
            }
        }
    }

    private static async Task ReadAsync(string path, int inputSize)
    {
        await using DatasetReader reader = await DatasetReader.OpenAsync(path, new DatasetReadOptions { InputSize = inputSize, AllowNonFinite = true });
        await foreach (RowChunk _ in reader.ReadAsync())
        {
        }
    }

    /// <summary>From the first column chunk's first byte to the last one's end: the pages, not the footer.</summary>
    private static async Task<(long Start, long End)> ChunkBytesAsync(string path)
    {
        await using ParquetReader reader = await ParquetReader.CreateAsync(path);
        var chunks = reader.Metadata!.RowGroups.SelectMany(g => g.Columns).Select(c => c.MetaData!).ToList();
        return (chunks.Min(FirstPage), chunks.Max(c => FirstPage(c) + c.TotalCompressedSize));
    }

    private static long FirstPage(Parquet.Meta.ColumnMetaData c) =>
        c.DictionaryPageOffset is long d && d > 0 && d < c.DataPageOffset ? d : c.DataPageOffset;
}
