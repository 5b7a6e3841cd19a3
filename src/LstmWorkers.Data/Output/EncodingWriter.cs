using System.IO.Compression;
using LstmWorkers.Data.Input;
using Parquet;
using Parquet.Schema;

namespace LstmWorkers.Data.Output;

/// <summary>
/// Writes an encoding file (contract §3) under a temporary name beside the target (<c>.&lt;name&gt;.&lt;random&gt;.tmp</c>)
/// and renames it to the target only in <see cref="CompleteAsync"/>, so no partial file ever sits at the target path.
/// Snappy compression; the schema's metadata becomes the file's key-value metadata.
/// <para>Not thread-safe: call <see cref="WriteAsync"/> from one caller at a time, in row order.</para>
/// </summary>
public sealed class EncodingWriter : IAsyncDisposable
{
    /// <summary>A chunk is split into row groups of at most this many floats (all list columns together), at least one row each.</summary>
    public const int MaxRowGroupFloats = 1 << 23;

    private readonly string _path;
    private readonly string _tempPath;
    private readonly FileStream _stream;
    private readonly ParquetWriter _writer;
    private readonly IdColumnWriter _id;
    private readonly DataField _length;
    private readonly IReadOnlyList<ListColumn> _lists;
    private bool _completed;
    private bool _closed;

    private EncodingWriter(string path, string tempPath, FileStream stream, ParquetWriter writer,
        IdColumnWriter id, DataField length, IReadOnlyList<ListColumn> lists)
    {
        _path = path;
        _tempPath = tempPath;
        _stream = stream;
        _writer = writer;
        _id = id;
        _length = length;
        _lists = lists;
    }

    /// <summary>The final path (full).</summary>
    public string Path => _path;

    /// <summary>The temporary file being written until <see cref="CompleteAsync"/>.</summary>
    public string TemporaryPath => _tempPath;

    /// <summary>Rows written so far.</summary>
    public long RowsWritten { get; private set; }

    /// <summary>Creates the temporary file and writes the Parquet header.</summary>
    /// <exception cref="ArgumentException">The schema is invalid (negative sizes, a column name clash).</exception>
    public static async Task<EncodingWriter> CreateAsync(string path, OutputSchema schema, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(schema);
        Validate(schema);
        string fullPath = System.IO.Path.GetFullPath(path);
        string directory = System.IO.Path.GetDirectoryName(fullPath) ?? ".";
        Directory.CreateDirectory(directory);
        string tempPath = System.IO.Path.Combine(directory,
            $".{System.IO.Path.GetFileName(fullPath)}.{Guid.NewGuid().ToString("N")[..12]}.tmp");

        var id = new IdColumnWriter(schema.IdColumn, schema.IdKind, schema.IdNullable);
        var length = new DataField<int>(OutputSchema.LengthColumn, nullable: false);
        var lists = ListColumn.Of(schema);
        var parquetSchema = new ParquetSchema([id.Field, length, .. lists.Select(list => list.Column.Field)]);

        var stream = new FileStream(tempPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 1 << 20);
        try
        {
            var options = new ParquetOptions { CompressionMethod = CompressionMethod.Snappy, CompressionLevel = CompressionLevel.Fastest };
            ParquetWriter writer = await ParquetWriter.CreateAsync(parquetSchema, stream, options, append: false, cancellationToken);
            writer.CustomMetadata = schema.Metadata.ToDictionary(kv => kv.Key, kv => kv.Value);
            return new EncodingWriter(fullPath, tempPath, stream, writer, id, length, lists);
        }
        catch
        {
            await stream.DisposeAsync();
            File.Delete(tempPath);
            throw;
        }
    }

    /// <summary>Appends the chunk's rows as one row group (several when it holds more than <see cref="MaxRowGroupFloats"/> floats).</summary>
    /// <exception cref="ArgumentException">The chunk does not fit the schema (array sizes, id type, nulls in a REQUIRED id).</exception>
    public async Task WriteAsync(EncodedChunk chunk, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        ObjectDisposedException.ThrowIf(_closed, this);
        if (_completed)
        {
            throw new InvalidOperationException("The file is already complete.");
        }
        CheckChunk(chunk);
        var valueStarts = new long[_lists.Count];
        for (int start = 0; start < chunk.Count;)
        {
            int rows = RowsInGroup(chunk.Lengths, start);
            using ParquetRowGroupWriter group = _writer.CreateRowGroup();
            await _id.WriteAsync(group, chunk.Ids, start, rows, cancellationToken);
            await group.WriteAsync<int>(_length, chunk.Lengths.AsMemory(start, rows), null, null, cancellationToken);
            for (int c = 0; c < _lists.Count; c++)
            {
                var column = _lists[c].Column;
                await column.WriteAsync(group, _lists[c].Values(chunk)!, valueStarts[c], chunk.Lengths.AsSpan(start, rows), cancellationToken);
                valueStarts[c] += Floats(column, chunk.Lengths.AsSpan(start, rows));
            }
            group.CompleteValidate();
            RowsWritten += rows;
            start += rows;
        }
    }

    /// <summary>The rows from <paramref name="start"/> that the next row group takes: as many as fit in
    /// <see cref="MaxRowGroupFloats"/> floats of every list column together, at least one.</summary>
    private int RowsInGroup(int[] lengths, int start)
    {
        long floats = 0;
        int rows = 0;
        for (int row = start; row < lengths.Length; row++, rows++)
        {
            long rowFloats = 0;
            foreach (var list in _lists)
            {
                rowFloats += list.Column.RowFloats(lengths[row]);
            }

            floats += rowFloats;
            if (rows > 0 && floats > MaxRowGroupFloats)
            {
                break;
            }
        }

        return Math.Max(rows, 1);
    }

    private static long Floats(FloatListColumn column, ReadOnlySpan<int> lengths)
    {
        long floats = 0;
        foreach (int length in lengths)
        {
            floats += column.RowFloats(length);
        }

        return floats;
    }

    /// <summary>Writes the footer, flushes to disk and renames the temporary file to the target, replacing an old file.</summary>
    /// <param name="metadata">The file's key-value metadata when it differs from the schema's (a figure only known at the end).</param>
    public async Task CompleteAsync(IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if (_completed)
        {
            return;
        }
        cancellationToken.ThrowIfCancellationRequested();
        if (metadata is not null)
        {
            _writer.CustomMetadata = metadata;
        }
        await _writer.DisposeAsync();
        await _stream.FlushAsync(cancellationToken);
        _stream.Flush(flushToDisk: true);
        await _stream.DisposeAsync();
        _closed = true;
        File.Move(_tempPath, _path, overwrite: true);
        _completed = true;
    }

    /// <summary>When not completed, closes and deletes the temporary file; the target path is left untouched.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_closed)
        {
            _closed = true;
            await _stream.DisposeAsync();
        }
        if (!_completed)
        {
            try
            {
                File.Delete(_tempPath);
            }
            catch (IOException)
            {
                // best effort: a leftover ".tmp" is never mistaken for a result
            }
        }
    }

    private static void Validate(OutputSchema schema)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(schema.IdColumn, nameof(schema));
        ArgumentNullException.ThrowIfNull(schema.Metadata, nameof(schema));
        if (schema.OutputRowSize < 0 || schema.HnRowSize < 0 || schema.CnRowSize < 0 || schema.PooledMeanRowSize < 0 || schema.PooledMaxRowSize < 0)
        {
            throw new ArgumentException("Row sizes must not be negative.", nameof(schema));
        }
        if (schema.IdColumn is OutputSchema.LengthColumn or OutputSchema.OutputColumn or OutputSchema.HnColumn or OutputSchema.CnColumn
            or OutputSchema.PooledMeanColumn or OutputSchema.PooledMaxColumn)
        {
            throw new ArgumentException($"The id column cannot be named '{schema.IdColumn}': the output has a column of that name.", nameof(schema));
        }
    }

    private void CheckChunk(EncodedChunk chunk)
    {
        _id.Check(chunk.Ids);
        if (chunk.Lengths.AsSpan().IndexOfAnyInRange(int.MinValue, -1) >= 0)
        {
            throw new ArgumentException("A length is negative.", nameof(chunk));
        }
        foreach (var list in _lists)
        {
            float[]? values = list.Values(chunk);
            long needed = Floats(list.Column, chunk.Lengths);
            if (values is null || values.Length != needed)
            {
                string shape = list.Column.PerStep ? $"{chunk.Count} rows' steps × {list.Column.RowSize}" : $"{chunk.Count} rows × {list.Column.RowSize}";
                throw new ArgumentException(
                    $"Column '{list.Column.Field.Name}' needs {needed} floats ({shape}); the chunk has {values?.Length.ToString() ?? "none"}.");
            }
        }
    }

    /// <summary>A list column the schema writes, and where a chunk holds its values.</summary>
    private sealed record ListColumn(FloatListColumn Column, Func<EncodedChunk, float[]?> Values)
    {
        /// <summary>The schema's list columns in file order: output, h_n, c_n, pooled_mean, pooled_max.</summary>
        public static IReadOnlyList<ListColumn> Of(OutputSchema schema)
        {
            var lists = new List<ListColumn>();
            void Add(int? rowSize, string name, Func<EncodedChunk, float[]?> values, bool perStep = false)
            {
                if (rowSize is { } size)
                {
                    lists.Add(new ListColumn(new FloatListColumn(name, size, perStep), values));
                }
            }

            Add(schema.OutputRowSize, OutputSchema.OutputColumn, c => c.Output, schema.OutputLayout == OutputLayout.Ragged);
            Add(schema.HnRowSize, OutputSchema.HnColumn, c => c.Hn);
            Add(schema.CnRowSize, OutputSchema.CnColumn, c => c.Cn);
            Add(schema.PooledMeanRowSize, OutputSchema.PooledMeanColumn, c => c.PooledMean);
            Add(schema.PooledMaxRowSize, OutputSchema.PooledMaxColumn, c => c.PooledMax);
            return lists;
        }
    }
}
