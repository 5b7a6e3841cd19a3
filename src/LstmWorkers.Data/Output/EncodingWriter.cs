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
    private readonly OutputSchema _schema;
    private readonly FileStream _stream;
    private readonly ParquetWriter _writer;
    private readonly IdColumnWriter _id;
    private readonly DataField _length;
    private readonly FloatListColumn? _output;
    private readonly FloatListColumn? _hn;
    private readonly FloatListColumn? _cn;
    private bool _completed;
    private bool _closed;

    private EncodingWriter(string path, string tempPath, OutputSchema schema, FileStream stream, ParquetWriter writer,
        IdColumnWriter id, DataField length, FloatListColumn? output, FloatListColumn? hn, FloatListColumn? cn)
    {
        _path = path;
        _tempPath = tempPath;
        _schema = schema;
        _stream = stream;
        _writer = writer;
        _id = id;
        _length = length;
        _output = output;
        _hn = hn;
        _cn = cn;
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
        FloatListColumn? output = schema.OutputRowSize is { } outputRow ? new FloatListColumn(OutputSchema.OutputColumn, outputRow) : null;
        FloatListColumn? hn = schema.HnRowSize is { } hnRow ? new FloatListColumn(OutputSchema.HnColumn, hnRow) : null;
        FloatListColumn? cn = schema.CnRowSize is { } cnRow ? new FloatListColumn(OutputSchema.CnColumn, cnRow) : null;
        var fields = new List<Field> { id.Field, length };
        foreach (FloatListColumn? list in new[] { output, hn, cn })
        {
            if (list is not null)
            {
                fields.Add(list.Field);
            }
        }
        var parquetSchema = new ParquetSchema(fields);

        var stream = new FileStream(tempPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 1 << 20);
        try
        {
            var options = new ParquetOptions { CompressionMethod = CompressionMethod.Snappy, CompressionLevel = CompressionLevel.Fastest };
            ParquetWriter writer = await ParquetWriter.CreateAsync(parquetSchema, stream, options, append: false, cancellationToken);
            writer.CustomMetadata = schema.Metadata.ToDictionary(kv => kv.Key, kv => kv.Value);
            return new EncodingWriter(fullPath, tempPath, schema, stream, writer, id, length, output, hn, cn);
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
        long floatsPerRow = (long)(_schema.OutputRowSize ?? 0) + (_schema.HnRowSize ?? 0) + (_schema.CnRowSize ?? 0);
        int rowsPerGroup = (int)Math.Max(1, MaxRowGroupFloats / Math.Max(1, floatsPerRow));
        for (int start = 0; start < chunk.Count; start += rowsPerGroup)
        {
            int rows = Math.Min(rowsPerGroup, chunk.Count - start);
            using ParquetRowGroupWriter group = _writer.CreateRowGroup();
            await _id.WriteAsync(group, chunk.Ids, start, rows, cancellationToken);
            await group.WriteAsync<int>(_length, chunk.Lengths.AsMemory(start, rows), null, null, cancellationToken);
            if (_output is not null)
            {
                await _output.WriteAsync(group, chunk.Output!, start, rows, cancellationToken);
            }
            if (_hn is not null)
            {
                await _hn.WriteAsync(group, chunk.Hn!, start, rows, cancellationToken);
            }
            if (_cn is not null)
            {
                await _cn.WriteAsync(group, chunk.Cn!, start, rows, cancellationToken);
            }
            group.CompleteValidate();
            RowsWritten += rows;
        }
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
        if (schema.OutputRowSize < 0 || schema.HnRowSize < 0 || schema.CnRowSize < 0)
        {
            throw new ArgumentException("Row sizes must not be negative.", nameof(schema));
        }
        if (schema.IdColumn is OutputSchema.LengthColumn or OutputSchema.OutputColumn or OutputSchema.HnColumn or OutputSchema.CnColumn)
        {
            throw new ArgumentException($"The id column cannot be named '{schema.IdColumn}': the output has a column of that name.", nameof(schema));
        }
    }

    private void CheckChunk(EncodedChunk chunk)
    {
        int n = chunk.Count;
        CheckFloats(chunk.Output, _schema.OutputRowSize, n, OutputSchema.OutputColumn);
        CheckFloats(chunk.Hn, _schema.HnRowSize, n, OutputSchema.HnColumn);
        CheckFloats(chunk.Cn, _schema.CnRowSize, n, OutputSchema.CnColumn);
        _id.Check(chunk.Ids);
        if (chunk.Lengths.AsSpan().IndexOfAnyInRange(int.MinValue, -1) >= 0)
        {
            throw new ArgumentException("A length is negative.", nameof(chunk));
        }
    }

    private static void CheckFloats(float[]? values, int? columnRowSize, int rows, string column)
    {
        if (columnRowSize is not { } rowSize)
        {
            return;
        }
        if (values is null || values.Length != (long)rows * rowSize)
        {
            throw new ArgumentException(
                $"Column '{column}' needs {(long)rows * rowSize} floats ({rows} rows × {rowSize}); the chunk has {values?.Length.ToString() ?? "none"}.");
        }
    }
}
