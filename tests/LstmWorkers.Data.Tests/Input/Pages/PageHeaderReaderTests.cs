using LstmWorkers.Data.Input.Pages;
using LstmWorkers.Data.Tests.Support;
using Parquet.Meta;
using Encoding = Parquet.Meta.Encoding;

namespace LstmWorkers.Data.Tests.Input.Pages;

public sealed class PageHeaderReaderTests
{
    private static CompactWriter V2Header(int compressed = 20) => new CompactWriter()
        .I32(1, (int)PageType.DATA_PAGE_V2).I32(2, 30).I32(3, compressed)
        .Struct(8, h => h.I32(1, 7).I32(2, 2).I32(3, 5).I32(4, (int)Encoding.RLE_DICTIONARY).I32(5, 3).I32(6, 4).Bool(7, false));

    [Fact]
    public void Read_of_a_v2_header_gives_every_field_and_the_header_length()
    {
        byte[] bytes = [.. V2Header().End(), 0xAA, 0xBB];

        PageHeader header = PageHeaderReader.Read(bytes, out int length);

        Assert.Equal(bytes.Length - 2, length);
        Assert.Equal((PageType.DATA_PAGE_V2, 30, 20), (header.Type, header.UncompressedPageSize, header.CompressedPageSize));
        DataPageHeaderV2 v2 = header.DataPageHeaderV2!;
        Assert.Equal((7, 2, 5, Encoding.RLE_DICTIONARY, 3, 4, (bool?)false),
            (v2.NumValues, v2.NumNulls, v2.NumRows, v2.Encoding, v2.DefinitionLevelsByteLength, v2.RepetitionLevelsByteLength, v2.IsCompressed));
    }

    [Fact]
    public void Read_skips_statistics_crc_lists_and_fields_with_a_long_form_id()
    {
        byte[] bytes = new CompactWriter()
            .I32(1, (int)PageType.DICTIONARY_PAGE).I32(2, 8).I32(3, 8).I32(4, 12345)
            .Struct(7, d => d.I32(1, 2).I32(2, (int)Encoding.PLAIN).Bool(3, true).Struct(9, s => s.Binary(1, [1, 2, 3]).I32List(2, 4, 5)))
            .I64(40, long.MaxValue)
            .End();

        PageHeader header = PageHeaderReader.Read(bytes, out int length);

        Assert.Equal(bytes.Length, length);
        Assert.Equal((2, Encoding.PLAIN), (header.DictionaryPageHeader!.NumValues, header.DictionaryPageHeader.Encoding));
    }

    [Fact]
    public void Read_of_a_header_cut_short_says_end_of_stream()
    {
        byte[] bytes = V2Header().End();

        Assert.Throws<EndOfStreamException>(() => PageHeaderReader.Read(bytes.AsSpan(0, bytes.Length - 3), out _));
    }

    [Fact]
    public void Read_of_a_negative_page_size_is_refused()
    {
        byte[] bytes = V2Header(compressed: -5).End();

        var error = Assert.Throws<InvalidDataException>(() => PageHeaderReader.Read(bytes, out _));

        Assert.Contains("compressed -5", error.Message);
    }

    [Fact]
    public void Read_of_a_v2_page_without_its_v2_header_is_refused()
    {
        byte[] bytes = new CompactWriter().I32(1, (int)PageType.DATA_PAGE_V2).I32(2, 30).I32(3, 20).End();

        var error = Assert.Throws<InvalidDataException>(() => PageHeaderReader.Read(bytes, out _));

        Assert.Contains("v2 data page header", error.Message);
    }

    [Fact]
    public void Read_of_structs_nested_past_the_limit_is_refused()
    {
        var writer = new CompactWriter().I32(1, 0);
        Action<CompactWriter> nest = _ => { };
        for (int i = 0; i < 40; i++)
        {
            Action<CompactWriter> inner = nest;
            nest = w => w.Struct(1, inner);
        }
        byte[] bytes = writer.Struct(15, nest).End();

        var error = Assert.Throws<InvalidDataException>(() => PageHeaderReader.Read(bytes, out _));

        Assert.Contains("nests deeper", error.Message);
    }
}
