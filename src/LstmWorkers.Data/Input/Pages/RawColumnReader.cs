using System.Runtime.ExceptionServices;
using LstmWorkers.Data.Input.Columns;
using Parquet;
using Parquet.Meta;
using Parquet.Schema;

namespace LstmWorkers.Data.Input.Pages;

/// <summary>
/// Reads one column chunk as <see cref="ParquetRowGroupReader.ReadRawAsync{T}"/> does (non-null values packed at the
/// front, definition and repetition levels) with <see cref="ColumnChunkDecoder{T}"/>: positional reads into a buffer
/// reused from chunk to chunk, pages decoded into the caller's values and the levels handed over in pieces
/// (Parquet.Net 6.1's own read copies every chunk through a growing MemoryStream and allocates each page afresh: about
/// half the speed and a GB of fresh memory per GB read, docs/BENCHMARKS.md). What the decoder does not read (v1 levels in the deprecated BIT_PACKED encoding, say)
/// goes to Parquet.Net's read, unless the chunk holds DATA_PAGE_V2 pages (Parquet.Net 6.1 throws on them for repeated
/// columns and reads them unchecked otherwise) or the Hadoop-framed LZ4 codec (which it decodes as a raw LZ4 block,
/// giving wrong values or an error). A codec neither can read is refused by name. Not thread-safe.
/// </summary>
internal sealed class RawColumnReader
{
    private readonly PageBuffer _chunk = new();
    private readonly PageBuffer _pages = new();
    private readonly LevelPieces _pieces;

    /// <param name="levelPiece">How many levels the decoder hands over at a time.</param>
    public RawColumnReader(int levelPiece = LevelPieces.DefaultLength) => _pieces = new LevelPieces(levelPiece);

    /// <summary>The chunk's values into <paramref name="values"/>, its levels into arrays (null: the column has none).</summary>
    /// <exception cref="NotSupportedException">A codec this reader cannot decompress, or an encoding it does not read.</exception>
    /// <exception cref="InvalidDataException">The chunk is corrupt; the message says which page and what.</exception>
    public ValueTask ReadAsync<T>(ParquetRowGroupReader rowGroup, DataField leaf, PageFile file,
        Memory<T> values, Memory<int>? definitions, Memory<int>? repetitions, CancellationToken cancellationToken)
        where T : struct =>
        ReadAsync(rowGroup, leaf, file, values, new LevelArrays(definitions, repetitions), cancellationToken);

    /// <summary>The chunk's values into <paramref name="values"/>, its levels to <paramref name="levels"/>.</summary>
    /// <exception cref="NotSupportedException">A codec this reader cannot decompress, or an encoding it does not read.</exception>
    /// <exception cref="InvalidDataException">The chunk is corrupt; the message says which page and what.</exception>
    public async ValueTask ReadAsync<T>(ParquetRowGroupReader rowGroup, DataField leaf, PageFile file,
        Memory<T> values, ILevelSink levels, CancellationToken cancellationToken)
        where T : struct
    {
        ColumnMetaData meta = rowGroup.GetMetadata(leaf)?.MetaData ?? throw new InvalidDataException("the column chunk has no metadata");
        PageDecompressor.EnsureReadable(meta.Codec);
        if (meta.NumValues == 0)
        {
            return;
        }
        NotSupportedException unsupported;
        try
        {
            ChunkRange range = ChunkRange.Of(meta, file.Length);
            ArraySegment<byte> chunk = _chunk.Take(range.Length);
            await file.ReadAsync(range.Start, chunk, cancellationToken);
            using var decompressor = new PageDecompressor(meta.Codec);
            new ColumnChunkDecoder<T>(meta, leaf.MaxDefinitionLevel, leaf.MaxRepetitionLevel, decompressor, _pages, _pieces)
                .Decode(chunk, range.Start, values.Span, levels);
            return;
        }
        catch (NotSupportedException e)
        {
            unsupported = e;
        }
        if (!await ParquetNetReadsAsync(meta, file, cancellationToken))
        {
            ExceptionDispatchInfo.Throw(unsupported);
        }
        levels.Restart();
        await ReadWithParquetNetAsync(rowGroup, leaf, (int)meta.NumValues, values, levels, unsupported, cancellationToken);
    }

    /// <summary>Parquet.Net's read of a chunk the page decoder declined (<paramref name="declined"/> says why), through
    /// level arrays of the chunk's size; its errors on corrupt pages (Parquet.Net 6.1 throws whatever its decoders meet)
    /// come out as one that says both.</summary>
    private static async ValueTask ReadWithParquetNetAsync<T>(ParquetRowGroupReader rowGroup, DataField leaf, int count,
        Memory<T> values, ILevelSink levels, NotSupportedException declined, CancellationToken cancellationToken)
        where T : struct
    {
        var definitions = new int[count];
        var repetitions = new int[count];
        try
        {
            await rowGroup.ReadRawAsync(leaf, values, leaf.MaxDefinitionLevel > 0 ? definitions : (Memory<int>?)null,
                leaf.MaxRepetitionLevel > 0 ? repetitions : (Memory<int>?)null, cancellationToken);
        }
        catch (Exception e) when (ParquetFiles.IsDataError(e))
        {
            throw new InvalidDataException($"{declined.Message}, and Parquet.Net's read of it failed: {e.Message}", e);
        }
        levels.Add(definitions, repetitions);
    }

    /// <summary>Whether Parquet.Net 6.1 reads the chunk right: v1 pages only, and not Hadoop-framed LZ4.</summary>
    private async ValueTask<bool> ParquetNetReadsAsync(ColumnMetaData meta, PageFile file, CancellationToken cancellationToken)
    {
        if (meta.Codec == CompressionCodec.LZ4)
        {
            return false;
        }
        if (PageVersion.FromEncodingStats(meta) is bool v2)
        {
            return !v2;
        }
        return ChunkRange.TryOf(meta, file.Length) is { } range && !await PageVersion.FirstDataPageIsV2Async(range, file, _chunk, cancellationToken);
    }
}
