using Parquet;
using Parquet.Meta;
using Parquet.Schema;

namespace LstmWorkers.Data.Input.Pages;

/// <summary>
/// Reads one column chunk as <see cref="ParquetRowGroupReader.ReadRawAsync{T}"/> does (non-null values packed at the
/// front, definition and repetition levels), choosing per chunk: Parquet.Net's own reader for chunks of v1 pages, and
/// <see cref="ColumnChunkDecoder{T}"/> for chunks with DATA_PAGE_V2 pages (Parquet.Net 6.1 throws on them for repeated
/// columns and reads them unchecked otherwise) and for the Hadoop-framed LZ4 codec (which it decodes as a raw LZ4
/// block, giving wrong values or an error). A codec neither can read is refused by name. Reuses its buffers; not
/// thread-safe.
/// </summary>
internal sealed class RawColumnReader
{
    private readonly PageBuffer _chunk = new();
    private readonly PageBuffer _pages = new();

    /// <exception cref="NotSupportedException">A codec this reader cannot decompress, or an encoding it does not read.</exception>
    /// <exception cref="InvalidDataException">The chunk is corrupt; the message says which page and what.</exception>
    public async ValueTask ReadAsync<T>(ParquetRowGroupReader rowGroup, DataField leaf, PageFile file,
        Memory<T> values, Memory<int>? definitions, Memory<int>? repetitions, CancellationToken cancellationToken)
        where T : struct
    {
        ColumnMetaData meta = rowGroup.GetMetadata(leaf)?.MetaData ?? throw new InvalidDataException("the column chunk has no metadata");
        PageDecompressor.EnsureReadable(meta.Codec);
        if (!await NeedsOwnDecoderAsync(meta, file, cancellationToken))
        {
            await ReadWithParquetNetAsync(rowGroup, leaf, values, definitions, repetitions, cancellationToken);
            return;
        }
        if (meta.NumValues == 0)
        {
            return;
        }
        ChunkRange range = ChunkRange.Of(meta, file.Length);
        ArraySegment<byte> chunk = _chunk.Take(range.Length);
        await file.ReadAsync(range.Start, chunk, cancellationToken);
        using var decompressor = new PageDecompressor(meta.Codec);
        new ColumnChunkDecoder<T>(meta, leaf.MaxDefinitionLevel, leaf.MaxRepetitionLevel, decompressor, _pages)
            .Decode(chunk, range.Start, values.Span, SpanOf(definitions), SpanOf(repetitions));
    }

    private static async ValueTask ReadWithParquetNetAsync<T>(ParquetRowGroupReader rowGroup, DataField leaf,
        Memory<T> values, Memory<int>? definitions, Memory<int>? repetitions, CancellationToken cancellationToken)
        where T : struct
    {
        try
        {
            await rowGroup.ReadRawAsync(leaf, values, definitions, repetitions, cancellationToken);
        }
        catch (NullReferenceException e)
        {
            // Parquet.Net 6.1 dereferences a page's sub-header without checking that the file has one (a dictionary
            // page without its dictionary_page_header, say); only the file's bytes get there.
            throw new InvalidDataException("Parquet.Net cannot read the column chunk: a page header lacks the part its page type needs", e);
        }
    }

    private static Span<int> SpanOf(Memory<int>? levels) => levels is { } memory ? memory.Span : default;

    private async ValueTask<bool> NeedsOwnDecoderAsync(ColumnMetaData meta, PageFile file, CancellationToken cancellationToken)
    {
        if (meta.Codec == CompressionCodec.LZ4)
        {
            return true;
        }
        if (PageVersion.FromEncodingStats(meta) is bool v2)
        {
            return v2;
        }
        if (meta.NumValues == 0 || ChunkRange.TryOf(meta, file.Length) is not { } range)
        {
            // nothing to look at, or offsets this decoder would refuse: Parquet.Net reads (or refuses) it as before
            return false;
        }
        return await PageVersion.FirstDataPageIsV2Async(range, file, _chunk, cancellationToken);
    }
}
