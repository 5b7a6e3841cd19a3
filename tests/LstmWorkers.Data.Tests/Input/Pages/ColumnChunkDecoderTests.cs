using LstmWorkers.Data.Input.Pages;
using LstmWorkers.Data.Tests.Support;
using Parquet.Meta;
using Encoding = Parquet.Meta.Encoding;
using PhysicalType = Parquet.Meta.Type;

namespace LstmWorkers.Data.Tests.Input.Pages;

/// <summary>Hand-made column chunks of int64 values: the cases no writer at hand makes.</summary>
public sealed class ColumnChunkDecoderTests
{
    private static byte[] V2Page(int numValues, int definitionBytes, byte[] body, int? uncompressed = null, bool? compressed = null,
        Encoding encoding = Encoding.PLAIN) =>
    [
        .. new CompactWriter()
            .I32(1, (int)PageType.DATA_PAGE_V2).I32(2, uncompressed ?? body.Length).I32(3, body.Length)
            .Struct(8, h =>
            {
                h.I32(1, numValues).I32(2, 0).I32(3, numValues).I32(4, (int)encoding).I32(5, definitionBytes).I32(6, 0);
                if (compressed is bool c)
                {
                    h.Bool(7, c);
                }
            })
            .End(),
        .. body,
    ];

    private static byte[] V1Page(int numValues, Encoding definitionEncoding, byte[] body) =>
    [
        .. new CompactWriter()
            .I32(1, (int)PageType.DATA_PAGE).I32(2, body.Length).I32(3, body.Length)
            .Struct(5, h => h.I32(1, numValues).I32(2, (int)Encoding.PLAIN).I32(3, (int)definitionEncoding).I32(4, (int)Encoding.RLE))
            .End(),
        .. body,
    ];

    private static byte[] DictionaryPage(params long[] values)
    {
        byte[] body = values.SelectMany(BitConverter.GetBytes).ToArray();
        return [.. new CompactWriter().I32(1, (int)PageType.DICTIONARY_PAGE).I32(2, body.Length).I32(3, body.Length)
            .Struct(7, h => h.I32(1, values.Length).I32(2, (int)Encoding.PLAIN)).End(), .. body];
    }

    private static byte[] Longs(params long[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    private static (long[] Values, int[] Definitions) Decode(byte[] chunk, long numValues, int maxDefinition,
        CompressionCodec codec = CompressionCodec.UNCOMPRESSED)
    {
        var meta = new ColumnMetaData { Type = PhysicalType.INT64, Codec = codec, NumValues = numValues };
        using var decompressor = new PageDecompressor(codec);
        var values = new long[numValues];
        var definitions = new int[numValues];
        new ColumnChunkDecoder<long>(meta, maxDefinition, 0, decompressor, new PageBuffer(), new LevelPieces(3))
            .Decode(chunk, 0, values, new LevelArrays(maxDefinition > 0 ? definitions : (Memory<int>?)null, null));
        return (values, definitions);
    }

    [Fact]
    public void Decode_packs_the_present_values_at_the_front_and_gives_every_level()
    {
        // levels 1, 0, 1: an RLE run of one 1, one 0, one 1 (width 1)
        byte[] chunk = V2Page(3, 6, [0x02, 0x01, 0x02, 0x00, 0x02, 0x01, .. Longs(7, 9)]);

        (long[] values, int[] definitions) = Decode(chunk, 3, 1);

        Assert.Equal([1, 0, 1], definitions);
        Assert.Equal([7L, 9, 0], values);
    }

    [Fact]
    public void Decode_of_a_v2_page_of_nulls_with_nothing_stored_for_its_values_reads_in_a_compressed_chunk()
    {
        byte[] chunk = V2Page(3, 2, [0x06, 0x00]);

        (_, int[] definitions) = Decode(chunk, 3, 1, CompressionCodec.SNAPPY);

        Assert.Equal([0, 0, 0], definitions);
    }

    [Fact]
    public void Decode_of_an_uncompressed_page_in_a_compressed_chunk_takes_its_bytes_as_they_are()
    {
        byte[] chunk = V2Page(2, 0, Longs(5, 6), compressed: false);

        (long[] values, _) = Decode(chunk, 2, 0, CompressionCodec.ZSTD);

        Assert.Equal([5L, 6], values);
    }

    [Fact]
    public void Decode_skips_index_pages()
    {
        byte[] index = [.. new CompactWriter().I32(1, (int)PageType.INDEX_PAGE).I32(2, 3).I32(3, 3).End(), 1, 2, 3];
        byte[] chunk = [.. index, .. V2Page(2, 0, Longs(5, 6))];

        (long[] values, _) = Decode(chunk, 2, 0);

        Assert.Equal([5L, 6], values);
    }

    [Fact]
    public void Decode_of_a_forged_uncompressed_size_is_refused_before_a_buffer_is_made()
    {
        byte[] chunk = V2Page(3, 0, [1, 2, 3, 4], uncompressed: 1 << 30);

        var error = Assert.Throws<InvalidDataException>(() => Decode(chunk, 3, 0, CompressionCodec.SNAPPY));

        Assert.Contains("holds 1073741824 bytes uncompressed, more than 3 values can take", error.Message);
    }

    [Fact]
    public void Decode_of_a_chunk_that_ends_early_says_how_many_values_it_had()
    {
        byte[] chunk = V2Page(2, 0, Longs(5, 6));

        var error = Assert.Throws<InvalidDataException>(() => Decode(chunk, 5, 0));

        Assert.Equal($"the column chunk of {chunk.Length} bytes ends after 2 of its 5 values", error.Message);
    }

    [Fact]
    public void Decode_of_a_definition_level_above_the_maximum_is_refused()
    {
        byte[] chunk = V2Page(1, 2, [0x02, 0x03, .. Longs(1)]);

        var error = Assert.Throws<InvalidDataException>(() => Decode(chunk, 1, 2));

        Assert.EndsWith("the page has definition level 3, above the column's maximum of 2", error.Message);
    }

    [Fact]
    public void Decode_of_bit_packed_v1_levels_is_refused_by_name()
    {
        byte[] chunk = V1Page(1, Encoding.BIT_PACKED, [1, 0, 0, 0, 0x80, .. Longs(1)]);

        var error = Assert.Throws<NotSupportedException>(() => Decode(chunk, 1, 1));

        Assert.Contains("definition levels are encoded as BIT_PACKED", error.Message);
    }

    [Fact]
    public void Decode_of_v1_levels_longer_than_the_page_is_refused()
    {
        byte[] chunk = V1Page(1, Encoding.RLE, [40, 0, 0, 0, 0x02, 0x01, .. Longs(1)]);

        var error = Assert.Throws<InvalidDataException>(() => Decode(chunk, 1, 1));

        Assert.Contains("definition levels say they take 40 bytes; 10 are left", error.Message);
    }

    [Theory]
    [InlineData(Encoding.RLE_DICTIONARY)]
    [InlineData(Encoding.PLAIN_DICTIONARY)]
    public void Decode_of_dictionary_indexes_gives_the_dictionary_values(Encoding encoding)
    {
        // bit width 2, one bit-packed group of 2, 0, 1, 1 (and 4 padding values)
        byte[] chunk = [.. DictionaryPage(10, 20, 30), .. V2Page(4, 0, [2, 0x03, 0b01_01_00_10, 0b0000_0000], encoding: encoding)];

        (long[] values, _) = Decode(chunk, 4, 0);

        Assert.Equal([30L, 10, 20, 20], values);
    }

    [Fact]
    public void Decode_of_a_dictionary_index_outside_the_dictionary_is_refused()
    {
        // bit width 3, an RLE run of one 5
        byte[] chunk = [.. DictionaryPage(10, 20), .. V2Page(1, 0, [3, 0x02, 0x05], encoding: Encoding.RLE_DICTIONARY)];

        var error = Assert.Throws<InvalidDataException>(() => Decode(chunk, 1, 0));

        Assert.EndsWith("dictionary index 5 is outside the dictionary of 2 values", error.Message);
    }

    [Fact]
    public void Decode_of_a_second_dictionary_page_is_refused()
    {
        byte[] chunk = [.. DictionaryPage(10), .. DictionaryPage(20), .. V2Page(1, 0, Longs(1))];

        var error = Assert.Throws<InvalidDataException>(() => Decode(chunk, 1, 0));

        Assert.StartsWith("page 1 (at byte ", error.Message);
        Assert.EndsWith("the column chunk has a second dictionary page", error.Message);
    }
}
