using LstmWorkers.Data.Input;
using LstmWorkers.Data.Output;
using LstmWorkers.Data.Tests.Support;
using Parquet.Data;
using Parquet.Meta;
using Parquet.Schema;
using Parquet;

namespace LstmWorkers.Data.Tests.Output;

/// <summary>The encoding file of contract §3: columns, list shapes, metadata, temporary name and atomic rename.</summary>
public sealed class EncodingWriterTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly Dictionary<string, string> Meta = new() { [EncodingMetadata.TotalLength] = "3", [EncodingMetadata.Version] = "1" };

    private static OutputSchema Schema(IdKind kind = IdKind.Int64, bool nullable = false, int? output = 6, int? hn = 2, int? cn = 2) =>
        new("id", kind, nullable, output, hn, cn, Meta);

    private static float[] Floats(int count, float start) => Enumerable.Range(0, count).Select(i => start + i).ToArray();

    private static async Task WriteFileAsync(string path, OutputSchema schema, params EncodedChunk[] chunks)
    {
        await using EncodingWriter writer = await EncodingWriter.CreateAsync(path, schema);
        foreach (EncodedChunk chunk in chunks)
        {
            await writer.WriteAsync(chunk);
        }
        await writer.CompleteAsync();
    }

    private static async Task<T[]> ReadColumnAsync<T>(ParquetReader reader, string column) where T : struct
    {
        DataField field = reader.Schema.GetDataFields().Single(f => f.Path.FirstPart == column);
        var values = new List<T>();
        foreach (ParquetRowGroupReader group in reader.RowGroups)
        {
            using RawColumnData raw = await group.ReadRawColumnDataBaseAsync(field);
            values.AddRange(((RawColumnData<T>)raw).Values.ToArray());
        }
        return values.ToArray();
    }

    [Fact]
    public async Task Write_produces_contract_columns_with_required_list_elements()
    {
        string path = _dir.File("out.parquet");

        await WriteFileAsync(path, Schema(), new EncodedChunk(IdValues.FromInt64([10, 11]), [3, 0], Floats(12, 0), Floats(4, 100), Floats(4, 200)));

        await using ParquetReader reader = await ParquetReader.CreateAsync(path);
        List<SchemaElement> se = reader.Metadata!.Schema;
        Assert.Equal(["id", "length", "output", "list", "element", "h_n", "list", "element", "c_n", "list", "element"], se.Skip(1).Select(e => e.Name));
        Assert.Equal((Parquet.Meta.Type.INT64, FieldRepetitionType.REQUIRED), (se[1].Type!.Value, se[1].RepetitionType!.Value));
        Assert.Equal((Parquet.Meta.Type.INT32, FieldRepetitionType.REQUIRED), (se[2].Type!.Value, se[2].RepetitionType!.Value));
        Assert.Equal((Parquet.Meta.Type.FLOAT, FieldRepetitionType.REQUIRED), (se[5].Type!.Value, se[5].RepetitionType!.Value));
        Assert.Equal(new long[] { 10, 11 }, await ReadColumnAsync<long>(reader, "id"));
        Assert.Equal(new[] { 3, 0 }, await ReadColumnAsync<int>(reader, "length"));
        Assert.Equal(Floats(12, 0), await ReadColumnAsync<float>(reader, "output"));
        Assert.Equal(Floats(4, 100), await ReadColumnAsync<float>(reader, "h_n"));
        Assert.Equal(Floats(4, 200), await ReadColumnAsync<float>(reader, "c_n"));
    }

    [Fact]
    public async Task Files_written_at_the_same_time_with_more_row_sizes_than_are_shared_keep_their_own_levels()
    {
        // Cached levels are shared across writers by row size; files of 2 × SharedLevels row sizes, written on
        // several threads with row groups that grow (so the shared arrays are replaced), must each hold their own rows.
        int files = 2 * FloatListColumn.SharedLevels;
        var sizes = Enumerable.Range(0, files).Select(f => (Output: 2 + f, Hn: 1 + f % 3)).ToArray();
        await Parallel.ForEachAsync(Enumerable.Range(0, files), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (f, _) =>
        {
            var (output, hn) = sizes[f];
            await using EncodingWriter writer = await EncodingWriter.CreateAsync(_dir.File($"{f}.parquet"), Schema(output: output, hn: hn, cn: null));
            long id = 0;
            for (int rows = 1; rows <= 40; rows += 13)
            {
                var ids = IdValues.FromInt64(Enumerable.Range(0, rows).Select(_ => id++).ToArray());
                await writer.WriteAsync(new EncodedChunk(ids, new int[rows], Floats(rows * output, 1000 * f + rows), Floats(rows * hn, -rows), null));
            }
            await writer.CompleteAsync();
        });

        for (int f = 0; f < files; f++)
        {
            var (output, hn) = sizes[f];
            await using ParquetReader reader = await ParquetReader.CreateAsync(_dir.File($"{f}.parquet"));
            int[] rowsPerGroup = [1, 14, 27, 40];
            Assert.Equal(rowsPerGroup.SelectMany(rows => Floats(rows * output, 1000 * f + rows)), await ReadColumnAsync<float>(reader, "output"));
            Assert.Equal(rowsPerGroup.SelectMany(rows => Floats(rows * hn, -rows)), await ReadColumnAsync<float>(reader, "h_n"));
            foreach ((string column, int size) in new[] { ("output", output), ("h_n", hn) })
            {
                DataField field = reader.Schema.GetDataFields().Single(d => d.Path.FirstPart == column);
                for (int g = 0; g < reader.RowGroupCount; g++)
                {
                    using RawColumnData raw = await reader.RowGroups[g].ReadRawColumnDataBaseAsync(field);
                    Assert.Equal(Enumerable.Range(0, rowsPerGroup[g] * size).Select(i => i % size == 0 ? 0 : 1), raw.RepetitionLevels.ToArray());
                    Assert.All(raw.DefinitionLevels.ToArray(), d => Assert.Equal(field.MaxDefinitionLevel, d));
                }
            }
        }
    }

    [Fact]
    public async Task Every_row_holds_its_full_row_size_even_at_length_zero()
    {
        string path = _dir.File("out.parquet");
        await WriteFileAsync(path, Schema(hn: null, cn: null), new EncodedChunk(IdValues.FromInt64([1, 2]), [0, 0], Floats(12, 0), null, null));

        await using ParquetReader reader = await ParquetReader.CreateAsync(path);
        DataField output = reader.Schema.GetDataFields().Single(f => f.Path.FirstPart == "output");
        using RawColumnData raw = await reader.RowGroups[0].ReadRawColumnDataBaseAsync(output);

        Assert.Equal([0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1], raw.RepetitionLevels.ToArray());
        Assert.All(raw.DefinitionLevels.ToArray(), d => Assert.Equal(output.MaxDefinitionLevel, d));
    }

    [Fact]
    public async Task Columns_without_a_row_size_are_not_written()
    {
        string path = _dir.File("out.parquet");

        await WriteFileAsync(path, Schema(output: null, cn: null), new EncodedChunk(IdValues.FromInt64([1]), [2], null, Floats(2, 0), null));

        await using ParquetReader reader = await ParquetReader.CreateAsync(path);
        Assert.Equal(["id", "length", "h_n"], reader.Schema.Fields.Select(f => f.Name));
    }

    [Fact]
    public async Task A_row_size_of_zero_writes_an_empty_list_per_row()
    {
        string path = _dir.File("out.parquet");

        await WriteFileAsync(path, Schema(output: 0, cn: null), new EncodedChunk(IdValues.FromInt64([1, 2, 3]), [0, 0, 0], [], Floats(6, 0), null));

        await using ParquetReader reader = await ParquetReader.CreateAsync(path);
        DataField output = reader.Schema.GetDataFields().Single(f => f.Path.FirstPart == "output");
        using RawColumnData raw = await reader.RowGroups[0].ReadRawColumnDataBaseAsync(output);
        Assert.Equal([0, 0, 0], raw.RepetitionLevels.ToArray());
        Assert.All(raw.DefinitionLevels.ToArray(), d => Assert.Equal(output.MaxDefinitionLevel - 1, d));
        Assert.Equal(Floats(6, 0), await ReadColumnAsync<float>(reader, "h_n"));
    }

    [Fact]
    public async Task Metadata_and_snappy_compression_are_written()
    {
        string path = _dir.File("out.parquet");

        await WriteFileAsync(path, Schema(), new EncodedChunk(IdValues.FromInt64([1]), [1], Floats(6, 0), Floats(2, 0), Floats(2, 0)));

        await using ParquetReader reader = await ParquetReader.CreateAsync(path);
        Assert.Equal("3", reader.CustomMetadata[EncodingMetadata.TotalLength]);
        Assert.Equal("1", reader.CustomMetadata[EncodingMetadata.Version]);
        Assert.All(reader.Metadata!.RowGroups[0].Columns, c => Assert.Equal(CompressionCodec.SNAPPY, c.MetaData!.Codec));
    }

    [Fact]
    public async Task Row_numbers_are_written_as_int64_named_id()
    {
        string path = _dir.File("out.parquet");

        await WriteFileAsync(path, Schema(IdKind.RowNumber), new EncodedChunk(IdValues.RowNumbers(7, 2), [1, 1], Floats(12, 0), Floats(4, 0), Floats(4, 0)));

        await using ParquetReader reader = await ParquetReader.CreateAsync(path);
        Assert.Equal(typeof(long), reader.Schema.GetDataFields()[0].ClrType);
        Assert.Equal(new long[] { 7, 8 }, await ReadColumnAsync<long>(reader, "id"));
    }

    [Fact]
    public async Task Written_file_reads_back_through_the_dataset_reader()
    {
        string path = _dir.File("out.parquet");
        var schema = new OutputSchema("key", IdKind.String, true, 6, null, null, Meta);

        await WriteFileAsync(path, schema,
            new EncodedChunk(IdValues.FromStrings(["a", null]), [1, 2], Floats(12, 0), null, null),
            new EncodedChunk(IdValues.FromStrings(["c"]), [3], Floats(6, 12), null, null));
        List<RowChunk> chunks = await Chunks.ReadAllAsync(path, new() { IdColumn = "key", SequenceColumn = "output", InputSize = 2 });

        Assert.Equal(["\"a\"", "null", "\"c\""], Chunks.AllIds(chunks));
        Assert.Equal(Floats(18, 0), chunks.SelectMany(Chunks.FeatureValues));
        Assert.All(chunks.SelectMany(c => c.Lengths), l => Assert.Equal(3, l));
    }

    [Fact]
    public async Task Int32_ids_with_nulls_round_trip()
    {
        string path = _dir.File("out.parquet");

        await WriteFileAsync(path, Schema(IdKind.Int32, nullable: true, output: 1, hn: null, cn: null),
            new EncodedChunk(IdValues.FromInt32([4, 0, 6], [false, true, false]), [1, 1, 1], Floats(3, 0), null, null));
        List<RowChunk> chunks = await Chunks.ReadAllAsync(path, new() { SequenceColumn = "output", InputSize = 1 });

        Assert.Equal(["4", "null", "6"], Chunks.AllIds(chunks));
    }

    [Fact]
    public async Task File_appears_at_the_path_only_when_complete()
    {
        string path = _dir.File("out.parquet");
        await using EncodingWriter writer = await EncodingWriter.CreateAsync(path, Schema());

        await writer.WriteAsync(new EncodedChunk(IdValues.FromInt64([1]), [1], Floats(6, 0), Floats(2, 0), Floats(2, 0)));
        bool existedBefore = File.Exists(path);
        string temp = writer.TemporaryPath;
        bool tempExisted = File.Exists(temp);
        await writer.CompleteAsync();

        Assert.False(existedBefore);
        Assert.True(tempExisted);
        Assert.Equal(_dir.Path, Path.GetDirectoryName(temp));
        Assert.StartsWith(".out.parquet.", Path.GetFileName(temp));
        Assert.EndsWith(".tmp", temp);
        Assert.True(File.Exists(path));
        Assert.False(File.Exists(temp));
        Assert.Equal(1, writer.RowsWritten);
    }

    [Fact]
    public async Task Dispose_without_complete_deletes_the_temporary_file_and_keeps_the_old_one()
    {
        string path = _dir.File("out.parquet");
        await File.WriteAllTextAsync(path, "old");
        string temp;

        await using (EncodingWriter writer = await EncodingWriter.CreateAsync(path, Schema()))
        {
            await writer.WriteAsync(new EncodedChunk(IdValues.FromInt64([1]), [1], Floats(6, 0), Floats(2, 0), Floats(2, 0)));
            temp = writer.TemporaryPath;
        }

        Assert.Equal("old", await File.ReadAllTextAsync(path));
        Assert.False(File.Exists(temp));
        Assert.Equal(["out.parquet"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Complete_replaces_an_existing_file()
    {
        string path = _dir.File("out.parquet");
        await File.WriteAllTextAsync(path, "old");

        await WriteFileAsync(path, Schema(), new EncodedChunk(IdValues.FromInt64([1]), [1], Floats(6, 0), Floats(2, 0), Floats(2, 0)));

        await using ParquetReader reader = await ParquetReader.CreateAsync(path);
        Assert.Equal(1, reader.Metadata!.NumRows);
    }

    [Fact]
    public async Task Empty_file_has_the_schema_and_no_rows()
    {
        string path = _dir.File("out.parquet");

        await WriteFileAsync(path, Schema());

        await using ParquetReader reader = await ParquetReader.CreateAsync(path);
        Assert.Equal(0, reader.Metadata!.NumRows);
        Assert.Equal(5, reader.Schema.Fields.Count);
    }

    [Fact]
    public async Task Large_chunk_is_split_into_row_groups()
    {
        string path = _dir.File("out.parquet");
        int rowSize = EncodingWriter.MaxRowGroupFloats / 2 + 1;   // one row per row group
        var output = new float[3L * rowSize > int.MaxValue ? 0 : 3 * rowSize];
        output[^1] = 42;

        await WriteFileAsync(path, Schema(output: rowSize, hn: null, cn: null), new EncodedChunk(IdValues.FromInt64([1, 2, 3]), [1, 1, 1], output, null, null));

        await using ParquetReader reader = await ParquetReader.CreateAsync(path);
        Assert.Equal(3, reader.RowGroupCount);
        Assert.Equal(new long[] { 1, 2, 3 }, await ReadColumnAsync<long>(reader, "id"));
        Assert.Equal(42, (await ReadColumnAsync<float>(reader, "output"))[^1]);
    }

    [Fact]
    public async Task Chunk_that_does_not_fit_the_schema_is_refused()
    {
        await using EncodingWriter writer = await EncodingWriter.CreateAsync(_dir.File("out.parquet"), Schema());

        await Assert.ThrowsAsync<ArgumentException>(() =>
            writer.WriteAsync(new EncodedChunk(IdValues.FromInt64([1]), [1], Floats(5, 0), Floats(2, 0), Floats(2, 0))));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            writer.WriteAsync(new EncodedChunk(IdValues.FromInt64([1]), [1], Floats(6, 0), null, Floats(2, 0))));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            writer.WriteAsync(new EncodedChunk(IdValues.FromStrings(["a"]), [1], Floats(6, 0), Floats(2, 0), Floats(2, 0))));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            writer.WriteAsync(new EncodedChunk(IdValues.FromInt64([1], [true]), [1], Floats(6, 0), Floats(2, 0), Floats(2, 0))));
    }

    [Fact]
    public async Task Id_column_named_like_an_output_column_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            EncodingWriter.CreateAsync(_dir.File("out.parquet"), Schema() with { IdColumn = "length" }));
        Assert.Empty(Directory.GetFiles(_dir.Path));
    }
}
