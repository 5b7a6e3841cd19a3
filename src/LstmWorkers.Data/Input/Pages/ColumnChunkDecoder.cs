using Parquet.Meta;
using Encoding = Parquet.Meta.Encoding;

namespace LstmWorkers.Data.Input.Pages;

/// <summary>
/// Decodes the pages of one column chunk (held in memory) into what Parquet.Net's raw read gives: the non-null values
/// packed at the front, and one definition and repetition level per entry, the levels handed to an
/// <see cref="ILevelSink"/> in pieces (a page's definition levels are read twice: once to count its values, once for
/// the sink). Reads the dictionary page, v1 data pages (levels with a 4-byte length, the whole page compressed) and v2
/// data pages (levels first, uncompressed, with their lengths in the header; then the values, compressed unless the
/// page says otherwise), skips index pages.
/// Every size a page header gives is checked against the chunk, the page and the output buffers.
/// </summary>
internal sealed class ColumnChunkDecoder<T>
{
    private readonly ColumnMetaData _meta;
    private readonly int _maxDefinition;
    private readonly int _maxRepetition;
    private readonly ValueDecoder<T> _values;
    private readonly PageDecompressor _decompressor;
    private readonly PageBuffer _buffer;
    private readonly LevelPieces _pieces;
    private int _levels;                    // entries (levels) decoded so far
    private int _present;                   // non-null values decoded so far

    /// <param name="buffer">Where decompressed pages go, reused from page to page (and chunk to chunk).</param>
    /// <param name="pieces">The buffers levels are decoded through, reused likewise.</param>
    public ColumnChunkDecoder(ColumnMetaData meta, int maxDefinition, int maxRepetition, PageDecompressor decompressor, PageBuffer buffer,
        LevelPieces pieces)
    {
        _pieces = pieces;
        _meta = meta;
        _maxDefinition = maxDefinition;
        _maxRepetition = maxRepetition;
        _values = ValueDecoder<T>.For(meta.Type);
        _decompressor = decompressor;
        _buffer = buffer;
    }

    /// <summary>
    /// Decodes <paramref name="chunk"/> (the column chunk's bytes, from file offset <paramref name="fileOffset"/>): the
    /// values into <paramref name="values"/>, the levels to <paramref name="levels"/>.
    /// </summary>
    public void Decode(ArraySegment<byte> chunk, long fileOffset, Span<T> values, ILevelSink levels)
    {
        long total = _meta.NumValues;
        if (total < 0 || total > values.Length)
        {
            throw new InvalidDataException($"the column chunk says it holds {total} values; its row group leaves room for {values.Length}");
        }
        int position = 0;
        for (int page = 0; _levels < total; page++)
        {
            if (position >= chunk.Count)
            {
                throw new InvalidDataException($"the column chunk of {chunk.Count} bytes ends after {_levels} of its {total} values");
            }
            try
            {
                position = DecodePage(chunk, position, (int)total, values, levels);
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException or NotSupportedException)
            {
                string where = $"page {page} (at byte {fileOffset + position} of the file): ";
                string what = e is EndOfStreamException ? "the page header runs past the end of the column chunk" : e.Message;
                throw e is NotSupportedException ? new NotSupportedException(where + what, e) : new InvalidDataException(where + what, e);
            }
        }
    }

    /// <summary>Decodes the page at <paramref name="position"/>; returns where the next one starts.</summary>
    private int DecodePage(ArraySegment<byte> chunk, int position, int total, Span<T> values, ILevelSink levels)
    {
        PageHeader header = PageHeaderReader.Read(chunk.AsSpan(position), out int headerLength);
        int body = position + headerLength;
        if (header.CompressedPageSize > chunk.Count - body)
        {
            throw new InvalidDataException(
                $"the page's {header.CompressedPageSize} bytes run past the end of the column chunk ({chunk.Count - body} bytes are left)");
        }
        ArraySegment<byte> bytes = chunk.Slice(body, header.CompressedPageSize);
        switch (header.Type)
        {
            case PageType.DICTIONARY_PAGE:
                int count = header.DictionaryPageHeader!.NumValues;
                CheckUncompressedSize(header.UncompressedPageSize, count);
                _values.ReadDictionary(Inflate(bytes, header.UncompressedPageSize), count, header.DictionaryPageHeader.Encoding);
                break;
            case PageType.DATA_PAGE:
                DecodeV1(header, bytes, total, values, levels);
                break;
            case PageType.DATA_PAGE_V2:
                DecodeV2(header, bytes, total, values, levels);
                break;
            case PageType.INDEX_PAGE:
                break;
            default:
                throw new InvalidDataException($"the page has type {(int)header.Type}, which is unknown");
        }
        return body + header.CompressedPageSize;
    }

    private void DecodeV1(PageHeader header, ArraySegment<byte> bytes, int total, Span<T> values, ILevelSink levels)
    {
        DataPageHeader page = header.DataPageHeader!;
        int n = CheckEntries(page.NumValues, total);
        CheckUncompressedSize(header.UncompressedPageSize, n);
        ReadOnlySpan<byte> data = Inflate(bytes, header.UncompressedPageSize);
        ReadOnlySpan<byte> repetitions = default, definitions = default;
        if (_maxRepetition > 0)
        {
            CheckLevelEncoding(page.RepetitionLevelEncoding, "repetition");
            data = LengthPrefixed(data, "repetition levels", out repetitions);
        }
        if (_maxDefinition > 0)
        {
            CheckLevelEncoding(page.DefinitionLevelEncoding, "definition");
            data = LengthPrefixed(data, "definition levels", out definitions);
        }
        DecodeEntries(page.Encoding, data, n, definitions, repetitions, values, levels);
    }

    private void DecodeV2(PageHeader header, ArraySegment<byte> bytes, int total, Span<T> values, ILevelSink levels)
    {
        DataPageHeaderV2 page = header.DataPageHeaderV2!;
        int n = CheckEntries(page.NumValues, total);
        int repetitionBytes = page.RepetitionLevelsByteLength, definitionBytes = page.DefinitionLevelsByteLength;
        long levelBytes = (long)repetitionBytes + definitionBytes;
        if (levelBytes > bytes.Count || levelBytes > header.UncompressedPageSize)
        {
            throw new InvalidDataException(
                $"the page's repetition levels ({repetitionBytes} bytes) and definition levels ({definitionBytes} bytes) take more than the page's {Math.Min(bytes.Count, header.UncompressedPageSize)} bytes");
        }
        ArraySegment<byte> stored = bytes[(int)levelBytes..];
        int size = header.UncompressedPageSize - (int)levelBytes;
        CheckUncompressedSize(size, n);
        bool compressed = (page.IsCompressed ?? true) && _meta.Codec != CompressionCodec.UNCOMPRESSED;
        ReadOnlySpan<byte> data = stored;
        if (compressed)
        {
            // an empty values section (a page of nulls) may be stored as nothing at all, not as compressed nothing
            data = size == 0 ? [] : Inflate(stored, size);
        }
        DecodeEntries(page.Encoding, data, n, _maxDefinition > 0 ? bytes.AsSpan(repetitionBytes, definitionBytes) : default,
            _maxRepetition > 0 ? bytes.AsSpan(0, repetitionBytes) : default, values, levels);
    }

    /// <summary>
    /// A data page's <paramref name="n"/> entries: counts those whose definition level is the maximum (checking each
    /// definition level against it), decodes that many values, then gives the levels to <paramref name="levels"/>
    /// piece by piece (checking each repetition level).
    /// </summary>
    private void DecodeEntries(Encoding encoding, ReadOnlySpan<byte> data, int n, ReadOnlySpan<byte> definitions,
        ReadOnlySpan<byte> repetitions, Span<T> values, ILevelSink levels)
    {
        int present = _maxDefinition > 0 ? CountPresent(definitions, n) : n;
        _values.Decode(encoding, data, values.Slice(_present, present));
        var definitionReader = new RleHybrid(LevelWidth(_maxDefinition), n, "definition levels");
        var repetitionReader = new RleHybrid(LevelWidth(_maxRepetition), n, "repetition levels");
        for (int done = 0; done < n;)
        {
            int count = Math.Min(_pieces.Length, n - done);
            Span<int> definition = _pieces.Definitions[..count];
            Span<int> repetition = _pieces.Repetitions[..count];
            if (_maxDefinition > 0)
            {
                definitionReader.Read(definitions, definition);
            }
            else
            {
                definition.Clear();
            }
            if (_maxRepetition > 0)
            {
                ReadLevels(ref repetitionReader, repetitions, repetition, _maxRepetition, "repetition");
            }
            else
            {
                repetition.Clear();
            }
            levels.Add(definition, repetition);
            done += count;
        }
        _present += present;
        _levels += n;
    }

    /// <summary>How many of the page's <paramref name="n"/> definition levels are the maximum (the values it holds).</summary>
    private int CountPresent(ReadOnlySpan<byte> definitions, int n)
    {
        var reader = new RleHybrid(LevelWidth(_maxDefinition), n, "definition levels");
        int present = 0;
        while (reader.Done < n)
        {
            Span<int> piece = _pieces.Definitions[..Math.Min(_pieces.Length, n - reader.Done)];
            ReadLevels(ref reader, definitions, piece, _maxDefinition, "definition");
            present += piece.Count(_maxDefinition);
        }
        return present;
    }

    private int CheckEntries(int numValues, int total)
    {
        if (numValues > total - _levels)
        {
            throw new InvalidDataException(
                $"the page's num_values is {numValues}, but only {total - _levels} of the column chunk's {total} values are left");
        }
        return numValues;
    }

    /// <summary>A page of <paramref name="entries"/> values cannot need more bytes than this (a forged size would make a huge buffer).</summary>
    private void CheckUncompressedSize(int size, int entries)
    {
        long limit = _values.MaxPageBytes(entries);
        if (size > limit)
        {
            throw new InvalidDataException($"the page says it holds {size} bytes uncompressed, more than {entries} values can take ({limit})");
        }
    }

    /// <summary>The page's bytes as stored (uncompressed chunks) or decompressed into the scratch buffer.</summary>
    private ReadOnlySpan<byte> Inflate(ArraySegment<byte> stored, int size)
    {
        if (_meta.Codec == CompressionCodec.UNCOMPRESSED)
        {
            if (stored.Count != size)
            {
                throw new InvalidDataException($"the uncompressed page holds {stored.Count} bytes, but its header says {size}");
            }
            return stored;
        }
        Span<byte> destination = _buffer.Take(size);
        _decompressor.Decompress(stored, destination);
        return destination;
    }

    private static void CheckLevelEncoding(Encoding encoding, string levels)
    {
        if (encoding != Encoding.RLE)
        {
            throw new NotSupportedException($"the page's {levels} levels are encoded as {encoding}; this reader reads RLE levels only");
        }
    }

    /// <summary>v1 levels: a 4-byte little-endian length, then that many bytes; returns what follows them.</summary>
    private static ReadOnlySpan<byte> LengthPrefixed(ReadOnlySpan<byte> data, string what, out ReadOnlySpan<byte> levels)
    {
        if (data.Length < sizeof(int))
        {
            throw new InvalidDataException($"the page ends before the length of its {what}");
        }
        int length = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(data);
        if (length < 0 || length > data.Length - sizeof(int))
        {
            throw new InvalidDataException($"the page's {what} say they take {length} bytes; {data.Length - sizeof(int)} are left");
        }
        levels = data.Slice(sizeof(int), length);
        return data[(sizeof(int) + length)..];
    }

    /// <summary>The next <paramref name="destination"/>.Length levels, each checked against <paramref name="max"/>.</summary>
    /// <param name="kind"><c>definition</c> or <c>repetition</c>, for messages.</param>
    private static void ReadLevels(ref RleHybrid reader, ReadOnlySpan<byte> data, Span<int> destination, int max, string kind)
    {
        reader.Read(data, destination);
        int bad = destination.IndexOfAnyExceptInRange(0, max);
        if (bad >= 0)
        {
            throw new InvalidDataException($"the page has {kind} level {destination[bad]}, above the column's maximum of {max}");
        }
    }

    private static int LevelWidth(int max) => 32 - int.LeadingZeroCount(max);
}
