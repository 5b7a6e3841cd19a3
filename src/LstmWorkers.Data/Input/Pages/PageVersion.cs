using Parquet.Meta;

namespace LstmWorkers.Data.Input.Pages;

/// <summary>Whether a column chunk holds DATA_PAGE_V2 pages: from its encoding statistics when it has them, else from its first data page header.</summary>
internal static class PageVersion
{
    private const int FirstRead = 1 << 10;

    /// <summary>What the chunk's encoding statistics say: true or false, or null when it has none.</summary>
    public static bool? FromEncodingStats(ColumnMetaData meta) =>
        meta.EncodingStats is { Count: > 0 } stats ? stats.Exists(s => s.PageType == PageType.DATA_PAGE_V2) : null;

    /// <summary>
    /// Reads page headers from the start of the chunk up to its first data page; true when that is a v2 page, and when
    /// there is none (the chunk is corrupt then; the page decoder says how).
    /// </summary>
    public static async ValueTask<bool> FirstDataPageIsV2Async(ChunkRange range, PageFile file, PageBuffer buffer, CancellationToken cancellationToken)
    {
        long end = range.Start + range.Length;
        long position = range.Start;
        int want = FirstRead;
        while (position < end)
        {
            int size = (int)Math.Min(want, end - position);
            ArraySegment<byte> bytes = buffer.Take(size);
            await file.ReadAsync(position, bytes, cancellationToken);
            PageHeader header;
            int length;
            try
            {
                header = PageHeaderReader.Read(bytes, out length);
            }
            catch (EndOfStreamException) when (size < end - position)
            {
                want = (int)Math.Min(8L * want, Array.MaxLength);
                continue;
            }
            catch (Exception e) when (e is EndOfStreamException or InvalidDataException)
            {
                return true;
            }
            if (header.Type is PageType.DATA_PAGE or PageType.DATA_PAGE_V2)
            {
                return header.Type == PageType.DATA_PAGE_V2;
            }
            position += length + (long)header.CompressedPageSize;
            want = FirstRead;
        }
        return true;
    }
}
