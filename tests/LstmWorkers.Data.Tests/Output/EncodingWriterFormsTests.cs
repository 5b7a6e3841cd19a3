using LstmWorkers.Data.Input;
using LstmWorkers.Data.Output;
using LstmWorkers.Data.Tests.Support;
using Parquet;
using Parquet.Data;
using Parquet.Schema;

namespace LstmWorkers.Data.Tests.Output;

/// <summary>The output forms of contract §7: a ragged <c>output</c> (each row its own steps) and the pooled columns.</summary>
public sealed class EncodingWriterFormsTests : IDisposable
{
    private static readonly Dictionary<string, string> Meta = new() { ["lstmw.output_layout"] = "ragged" };

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Ragged output of 2 floats per step, h_n of 2, pooled_mean and pooled_max of 2 per row.</summary>
    private static OutputSchema Ragged(int? output = 2) => new("id", IdKind.Int64, false, output, 2, null, Meta)
    {
        OutputLayout = OutputLayout.Ragged,
        PooledMeanRowSize = 2,
        PooledMaxRowSize = 2,
    };

    private static float[] Floats(int count, float start) => Enumerable.Range(0, count).Select(i => start + i).ToArray();

    private static EncodedChunk Chunk(long[] ids, int[] lengths, int width = 2) =>
        new(IdValues.FromInt64(ids), lengths, Floats(lengths.Sum() * width, 0), Floats(ids.Length * 2, 100), null,
            Floats(ids.Length * 2, 200), Floats(ids.Length * 2, 300));

    [Fact]
    public async Task A_ragged_output_holds_each_row_own_steps_and_an_empty_list_at_length_zero()
    {
        string path = _dir.File("out.parquet");

        await WriteAsync(path, Ragged(), Chunk([1, 2, 3], [3, 0, 1]));

        await using ParquetReader reader = await ParquetReader.CreateAsync(path);
        DataField output = reader.Schema.GetDataFields().Single(f => f.Path.FirstPart == "output");
        using RawColumnData raw = await reader.RowGroups[0].ReadRawColumnDataBaseAsync(output);
        Assert.Equal([0, 1, 1, 1, 1, 1, 0, 0, 1], raw.RepetitionLevels.ToArray());
        int max = output.MaxDefinitionLevel;
        Assert.Equal([max, max, max, max, max, max, max - 1, max, max], raw.DefinitionLevels.ToArray());
        Assert.Equal(Floats(8, 0), ((RawColumnData<float>)raw).Values[..8].ToArray()); // the values, then room for the empty row
    }

    [Fact]
    public async Task The_pooled_columns_follow_the_states_in_file_order()
    {
        string path = _dir.File("out.parquet");

        await WriteAsync(path, Ragged(), Chunk([1, 2], [1, 2]));

        await using ParquetReader reader = await ParquetReader.CreateAsync(path);
        Assert.Equal(["id", "length", "output", "h_n", "pooled_mean", "pooled_max"], reader.Schema.Fields.Select(f => f.Name));
    }

    [Fact]
    public async Task A_ragged_chunk_is_cut_into_row_groups_by_its_rows_floats()
    {
        string path = _dir.File("out.parquet");
        int width = 1 << 10, steps = EncodingWriter.MaxRowGroupFloats / width / 2 + 1;   // two long rows overfill a row group

        await WriteAsync(path, Ragged(width) with { HnRowSize = null, PooledMeanRowSize = null, PooledMaxRowSize = null },
            new EncodedChunk(IdValues.FromInt64([1, 2, 3, 4, 5]), [steps, 1, steps, 0, steps], new float[(3L * steps + 1) * width], null, null));

        await using ParquetReader reader = await ParquetReader.CreateAsync(path);
        Assert.Equal([2L, 2, 1], reader.RowGroups.Select(g => g.RowCount));
    }

    [Fact]
    public async Task A_ragged_chunk_whose_floats_do_not_match_its_lengths_is_refused()
    {
        await using EncodingWriter writer = await EncodingWriter.CreateAsync(_dir.File("out.parquet"), Ragged());
        var chunk = Chunk([1, 2], [2, 1]);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => writer.WriteAsync(
            new EncodedChunk(chunk.Ids, chunk.Lengths, Floats(4, 0), chunk.Hn, null, chunk.PooledMean, chunk.PooledMax)));

        Assert.Contains("Column 'output' needs 6 floats (2 rows' steps × 2); the chunk has 4", error.Message);
    }

    [Fact]
    public async Task What_was_read_back_rewrites_to_the_same_bytes()
    {
        await WriteAsync(_dir.File("a.parquet"), Ragged(), Chunk([1, 2, 3], [3, 0, 1]), Chunk([4, 5], [0, 0]));

        var readBack = new List<EncodedChunk>();
        await foreach (var chunk in EncodingReader.ReadAsync(_dir.File("a.parquet")))
        {
            readBack.Add(chunk);
        }

        await WriteAsync(_dir.File("b.parquet"), Ragged(), [.. readBack]);
        Assert.Equal(Floats(8, 0), readBack[0].Output);
        Assert.Empty(readBack[1].Output!);
        Assert.Equal(Floats(4, 300), readBack[1].PooledMax);
        Assert.Equal(await File.ReadAllBytesAsync(_dir.File("a.parquet")), await File.ReadAllBytesAsync(_dir.File("b.parquet")));
    }

    private static async Task WriteAsync(string path, OutputSchema schema, params EncodedChunk[] chunks)
    {
        await using EncodingWriter writer = await EncodingWriter.CreateAsync(path, schema);
        foreach (EncodedChunk chunk in chunks)
        {
            await writer.WriteAsync(chunk);
        }

        await writer.CompleteAsync();
    }
}
