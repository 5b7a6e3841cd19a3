using Parquet.Meta;

namespace LstmWorkers.Data.Input.Pages;

/// <summary>Where a column chunk's pages lie in its file: from its first page (the dictionary page, when there is one) for <see cref="Length"/> bytes.</summary>
internal readonly record struct ChunkRange(long Start, int Length)
{
    /// <summary>The range <paramref name="meta"/> gives, checked against the file's length.</summary>
    /// <exception cref="InvalidDataException">An offset or size outside the file's data.</exception>
    /// <exception cref="NotSupportedException">A chunk of 2 GiB or more.</exception>
    public static ChunkRange Of(ColumnMetaData meta, long fileLength)
    {
        (long start, long size) = Claimed(meta);
        if (!Inside(start, size, fileLength))
        {
            throw new InvalidDataException(
                $"the column chunk says it lies at bytes [{start}, {start} + {size}), outside the data of the file's {fileLength} bytes");
        }
        if (size > Array.MaxLength)
        {
            throw new NotSupportedException($"the column chunk holds {size} bytes; at most {Array.MaxLength} are supported per column chunk");
        }
        return new ChunkRange(start, (int)size);
    }

    /// <summary>The range, or null when <see cref="Of"/> would refuse it.</summary>
    public static ChunkRange? TryOf(ColumnMetaData meta, long fileLength)
    {
        (long start, long size) = Claimed(meta);
        return Inside(start, size, fileLength) && size <= Array.MaxLength ? new ChunkRange(start, (int)size) : null;
    }

    private static (long Start, long Size) Claimed(ColumnMetaData meta)
    {
        long start = meta.DictionaryPageOffset is long dictionary && dictionary > 0 && dictionary < meta.DataPageOffset
            ? dictionary
            : meta.DataPageOffset;
        return (start, meta.TotalCompressedSize);
    }

    // a file is "PAR1", the column chunks, the footer, its 4-byte length and "PAR1"
    private static bool Inside(long start, long size, long fileLength) =>
        start >= 4 && size > 0 && start <= fileLength - 8 && size <= fileLength - 8 - start;
}
