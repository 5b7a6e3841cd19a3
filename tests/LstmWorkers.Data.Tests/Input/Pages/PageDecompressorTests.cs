using System.Buffers.Binary;
using System.IO.Compression;
using K4os.Compression.LZ4;
using LstmWorkers.Data.Input.Pages;
using Parquet.Meta;

namespace LstmWorkers.Data.Tests.Input.Pages;

public sealed class PageDecompressorTests
{
    private static readonly byte[] Page = Enumerable.Range(0, 3000).Select(i => (byte)(i % 7 * 31 + i / 100)).ToArray();

    public static TheoryData<CompressionCodec, string> Codecs => new()
    {
        { CompressionCodec.UNCOMPRESSED, "raw" },
        { CompressionCodec.SNAPPY, "snappy" },
        { CompressionCodec.GZIP, "gzip" },
        { CompressionCodec.GZIP, "zlib" },
        { CompressionCodec.BROTLI, "brotli" },
        { CompressionCodec.ZSTD, "zstd" },
        { CompressionCodec.LZ4_RAW, "lz4 block" },
        { CompressionCodec.LZ4, "hadoop lz4" },
        { CompressionCodec.LZ4, "lz4 block" },
    };

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Decompress_gives_the_page_back(CompressionCodec codec, string form)
    {
        using var decompressor = new PageDecompressor(codec);
        var page = new byte[Page.Length];

        decompressor.Decompress(Compress(form, Page), page);

        Assert.Equal(Page, page);
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Decompress_to_another_size_than_the_header_gives_is_refused(CompressionCodec codec, string form)
    {
        using var decompressor = new PageDecompressor(codec);

        var error = Assert.Throws<InvalidDataException>(() => decompressor.Decompress(Compress(form, Page), new byte[Page.Length - 1]));

        Assert.Contains(codec.ToString(), error.Message);
    }

    [Theory]
    [InlineData(CompressionCodec.SNAPPY)]
    [InlineData(CompressionCodec.GZIP)]
    [InlineData(CompressionCodec.BROTLI)]
    [InlineData(CompressionCodec.ZSTD)]
    [InlineData(CompressionCodec.LZ4_RAW)]
    [InlineData(CompressionCodec.LZ4)]
    public void Decompress_of_garbage_is_refused_naming_the_codec(CompressionCodec codec)
    {
        using var decompressor = new PageDecompressor(codec);
        byte[] garbage = Enumerable.Range(0, 64).Select(i => unchecked((byte)(i * 37 + 11))).ToArray();

        var error = Assert.Throws<InvalidDataException>(() => decompressor.Decompress(garbage, new byte[500]));

        Assert.Contains(codec.ToString(), error.Message);
    }

    [Theory]
    [InlineData(CompressionCodec.LZO, "LZO")]
    [InlineData((CompressionCodec)42, "codec 42, which is unknown")]
    public void A_codec_without_a_decompressor_is_refused_by_name(CompressionCodec codec, string detail)
    {
        var error = Assert.Throws<NotSupportedException>(() => new PageDecompressor(codec));

        Assert.Contains(detail, error.Message);
    }

    private static byte[] Compress(string form, byte[] data)
    {
        switch (form)
        {
            case "raw":
                return data;
            case "snappy":
                return Snappier.Snappy.CompressToArray(data);
            case "zstd":
                using (var zstd = new ZstdSharp.Compressor())
                {
                    return zstd.Wrap(data).ToArray();
                }
            case "lz4 block":
                return Lz4Block(data);
            case "hadoop lz4":
                // two Hadoop blocks: [decompressed size, compressed size (big-endian)], raw LZ4
                byte[] first = Lz4Block(data[..1000]), second = Lz4Block(data[1000..]);
                return [.. Prefix(1000, first.Length), .. first, .. Prefix(data.Length - 1000, second.Length), .. second];
        }
        using var output = new MemoryStream();
        using (Stream stream = form switch
        {
            "gzip" => new GZipStream(output, CompressionLevel.Optimal),
            "zlib" => new ZLibStream(output, CompressionLevel.Optimal),
            _ => new BrotliStream(output, CompressionLevel.Optimal),
        })
        {
            stream.Write(data);
        }
        return output.ToArray();
    }

    private static byte[] Lz4Block(byte[] data)
    {
        var target = new byte[LZ4Codec.MaximumOutputSize(data.Length)];
        return target[..LZ4Codec.Encode(data, target)];
    }

    private static byte[] Prefix(int decompressed, int compressed)
    {
        var prefix = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(prefix, decompressed);
        BinaryPrimitives.WriteInt32BigEndian(prefix.AsSpan(4), compressed);
        return prefix;
    }
}
