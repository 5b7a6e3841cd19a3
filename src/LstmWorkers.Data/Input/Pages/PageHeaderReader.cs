using Parquet.Meta;
using Encoding = Parquet.Meta.Encoding;

namespace LstmWorkers.Data.Input.Pages;

/// <summary>
/// Reads a page header (Thrift compact protocol) into Parquet.Net's public <see cref="PageHeader"/> classes: the page
/// sizes and the data page (v1, v2) or dictionary page header; statistics, CRCs and unknown fields are skipped.
/// Its own reader is internal, so this is the small part of it the page decoder needs.
/// </summary>
internal static class PageHeaderReader
{
    /// <summary>The header at the start of <paramref name="bytes"/>; <paramref name="length"/> is its size in bytes.</summary>
    /// <exception cref="EndOfStreamException">The bytes end inside the header.</exception>
    /// <exception cref="InvalidDataException">The header is malformed, or a size in it is negative.</exception>
    public static PageHeader Read(ReadOnlySpan<byte> bytes, out int length)
    {
        var reader = new CompactReader(bytes);
        var header = new PageHeader { Type = (PageType)(-1), UncompressedPageSize = -1, CompressedPageSize = -1 };
        int id = 0;
        while (reader.NextField(ref id, out byte type))
        {
            switch (id)
            {
                case 1 when type == CompactReader.I32:
                    header.Type = (PageType)reader.ReadI32(type);
                    break;
                case 2 when type == CompactReader.I32:
                    header.UncompressedPageSize = reader.ReadI32(type);
                    break;
                case 3 when type == CompactReader.I32:
                    header.CompressedPageSize = reader.ReadI32(type);
                    break;
                case 5 when type == CompactReader.Struct:
                    header.DataPageHeader = ReadDataPageHeader(ref reader);
                    break;
                case 7 when type == CompactReader.Struct:
                    header.DictionaryPageHeader = ReadDictionaryPageHeader(ref reader);
                    break;
                case 8 when type == CompactReader.Struct:
                    header.DataPageHeaderV2 = ReadDataPageHeaderV2(ref reader);
                    break;
                default:
                    reader.Skip(type);
                    break;
            }
        }
        length = reader.Position;
        Check(header);
        return header;
    }

    private static DataPageHeader ReadDataPageHeader(ref CompactReader reader)
    {
        var header = new DataPageHeader { NumValues = -1, Encoding = (Encoding)(-1), DefinitionLevelEncoding = Encoding.RLE, RepetitionLevelEncoding = Encoding.RLE };
        int id = 0;
        while (reader.NextField(ref id, out byte type))
        {
            switch (id)
            {
                case 1 when type == CompactReader.I32:
                    header.NumValues = reader.ReadI32(type);
                    break;
                case 2 when type == CompactReader.I32:
                    header.Encoding = (Encoding)reader.ReadI32(type);
                    break;
                case 3 when type == CompactReader.I32:
                    header.DefinitionLevelEncoding = (Encoding)reader.ReadI32(type);
                    break;
                case 4 when type == CompactReader.I32:
                    header.RepetitionLevelEncoding = (Encoding)reader.ReadI32(type);
                    break;
                default:
                    reader.Skip(type);
                    break;
            }
        }
        return header;
    }

    private static DataPageHeaderV2 ReadDataPageHeaderV2(ref CompactReader reader)
    {
        var header = new DataPageHeaderV2 { NumValues = -1, Encoding = (Encoding)(-1), DefinitionLevelsByteLength = -1, RepetitionLevelsByteLength = -1 };
        int id = 0;
        while (reader.NextField(ref id, out byte type))
        {
            switch (id)
            {
                case 1 when type == CompactReader.I32:
                    header.NumValues = reader.ReadI32(type);
                    break;
                case 2 when type == CompactReader.I32:
                    header.NumNulls = reader.ReadI32(type);
                    break;
                case 3 when type == CompactReader.I32:
                    header.NumRows = reader.ReadI32(type);
                    break;
                case 4 when type == CompactReader.I32:
                    header.Encoding = (Encoding)reader.ReadI32(type);
                    break;
                case 5 when type == CompactReader.I32:
                    header.DefinitionLevelsByteLength = reader.ReadI32(type);
                    break;
                case 6 when type == CompactReader.I32:
                    header.RepetitionLevelsByteLength = reader.ReadI32(type);
                    break;
                case 7 when type is CompactReader.True or CompactReader.False:
                    header.IsCompressed = CompactReader.ReadBool(type);
                    break;
                default:
                    reader.Skip(type);
                    break;
            }
        }
        return header;
    }

    private static DictionaryPageHeader ReadDictionaryPageHeader(ref CompactReader reader)
    {
        var header = new DictionaryPageHeader { NumValues = -1, Encoding = (Encoding)(-1) };
        int id = 0;
        while (reader.NextField(ref id, out byte type))
        {
            switch (id)
            {
                case 1 when type == CompactReader.I32:
                    header.NumValues = reader.ReadI32(type);
                    break;
                case 2 when type == CompactReader.I32:
                    header.Encoding = (Encoding)reader.ReadI32(type);
                    break;
                default:
                    reader.Skip(type);
                    break;
            }
        }
        return header;
    }

    /// <summary>Every required field is there and no size is negative (−1 marks a field that was missing).</summary>
    private static void Check(PageHeader header)
    {
        if (header.Type < 0 || header.UncompressedPageSize < 0 || header.CompressedPageSize < 0)
        {
            throw new InvalidDataException(
                $"the page header lacks its type or sizes, or a size is negative (type {(int)header.Type}, compressed {header.CompressedPageSize}, uncompressed {header.UncompressedPageSize} bytes)");
        }
        switch (header.Type)
        {
            case PageType.DATA_PAGE when header.DataPageHeader is not { NumValues: >= 0 } || header.DataPageHeader.Encoding < 0:
                throw new InvalidDataException("the data page header lacks num_values or encoding, or num_values is negative");
            case PageType.DATA_PAGE_V2 when header.DataPageHeaderV2 is not { NumValues: >= 0, DefinitionLevelsByteLength: >= 0, RepetitionLevelsByteLength: >= 0 }
                || header.DataPageHeaderV2.Encoding < 0:
                throw new InvalidDataException(
                    "the v2 data page header lacks num_values, encoding or a level byte length, or one of them is negative");
            case PageType.DICTIONARY_PAGE when header.DictionaryPageHeader is not { NumValues: >= 0 } || header.DictionaryPageHeader.Encoding < 0:
                throw new InvalidDataException("the dictionary page header lacks num_values or encoding, or num_values is negative");
        }
    }
}
