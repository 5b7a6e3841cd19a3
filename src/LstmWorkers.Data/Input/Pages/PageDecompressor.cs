using System.Buffers.Binary;
using System.IO.Compression;
using K4os.Compression.LZ4;
using Parquet.Meta;
using Snappier;
using ZstdSharp;

namespace LstmWorkers.Data.Input.Pages;

/// <summary>
/// Decompresses pages of one column chunk with the libraries Parquet.Net itself uses (Snappier, ZstdSharp,
/// K4os.Compression.LZ4, System.IO.Compression), into a buffer of exactly the size the page header gives; any other
/// outcome (corrupt data, fewer or more bytes) is an <see cref="InvalidDataException"/> naming the codec.
/// Not thread-safe (one zstd context per instance).
/// </summary>
internal sealed class PageDecompressor : IDisposable
{
    /// <summary>The codecs this reader has, for messages.</summary>
    public const string Readable = "UNCOMPRESSED, SNAPPY, GZIP, BROTLI, LZ4, ZSTD, LZ4_RAW";

    private readonly CompressionCodec _codec;
    private Decompressor? _zstd;

    public PageDecompressor(CompressionCodec codec)
    {
        EnsureReadable(codec);
        _codec = codec;
    }

    /// <summary>Refuses a codec this reader cannot decompress (LZO, or a number no codec has), by name.</summary>
    /// <exception cref="NotSupportedException">The codec is not one of <see cref="Readable"/>.</exception>
    public static void EnsureReadable(CompressionCodec codec)
    {
        if (codec == CompressionCodec.LZO)
        {
            throw new NotSupportedException($"the column chunk is compressed with LZO, which this reader cannot decompress (it reads {Readable})");
        }
        if (!Enum.IsDefined(codec))
        {
            throw new NotSupportedException($"the column chunk names compression codec {(int)codec}, which is unknown (this reader reads {Readable})");
        }
    }

    /// <summary>Decompresses <paramref name="source"/> into all of <paramref name="destination"/>.</summary>
    public void Decompress(ArraySegment<byte> source, Span<byte> destination)
    {
        int written;
        try
        {
            written = _codec switch
            {
                CompressionCodec.UNCOMPRESSED => Copy(source, destination),
                CompressionCodec.SNAPPY => Snappy(source, destination),
                CompressionCodec.GZIP => Gzip(source, destination),
                CompressionCodec.BROTLI => BrotliDecoder.TryDecompress(source, destination, out int n) ? n : -1,
                CompressionCodec.ZSTD => (_zstd ??= new Decompressor()).Unwrap(source, destination),
                CompressionCodec.LZ4_RAW => LZ4Codec.Decode(source, destination),
                CompressionCodec.LZ4 => HadoopLz4(source, destination),
                _ => throw new NotSupportedException($"compression codec {_codec} is not readable"),
            };
        }
        catch (Exception e) when (e is InvalidDataException or ZstdException or ArgumentException or IndexOutOfRangeException)
        {
            throw new InvalidDataException($"the {_codec} data of {source.Count} bytes cannot be decompressed: {e.Message}", e);
        }
        if (written != destination.Length)
        {
            throw new InvalidDataException(
                $"the {_codec} data of {source.Count} bytes does not decompress to the {destination.Length} bytes the page header gives");
        }
    }

    public void Dispose() => _zstd?.Dispose();

    private static int Copy(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (source.Length != destination.Length)
        {
            return -1;
        }
        source.CopyTo(destination);
        return source.Length;
    }

    private static int Snappy(ReadOnlySpan<byte> source, Span<byte> destination) =>
        Snappier.Snappy.GetUncompressedLength(source) == destination.Length ? Snappier.Snappy.Decompress(source, destination) : -1;

    /// <summary>GZIP: gzip members (RFC 1952); like arrow-cpp, zlib-wrapped deflate (RFC 1950, which some writers used) too.</summary>
    private static int Gzip(ArraySegment<byte> source, Span<byte> destination)
    {
        using var input = new MemoryStream(source.Array!, source.Offset, source.Count, writable: false);
        bool gzipMagic = source.Count >= 2 && source[0] == 0x1f && source[1] == 0x8b;
        using Stream gzip = gzipMagic ? new GZipStream(input, CompressionMode.Decompress) : new ZLibStream(input, CompressionMode.Decompress);
        int written = 0;
        while (written < destination.Length)
        {
            int n = gzip.Read(destination[written..]);
            if (n == 0)
            {
                return written;
            }
            written += n;
        }
        Span<byte> more = stackalloc byte[1];
        return gzip.Read(more) == 0 ? written : -1;
    }

    /// <summary>
    /// The LZ4 codec as Hadoop, parquet-mr and arrow write it: blocks of [decompressed size, compressed size (both 4-byte
    /// big-endian), raw LZ4 block]. Like arrow-cpp, data that does not parse as such is tried as one raw LZ4 block (older
    /// writers used the codec for that).
    /// </summary>
    private static int HadoopLz4(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        int read = 0, written = 0;
        while (source.Length - read >= 8)
        {
            uint decompressed = BinaryPrimitives.ReadUInt32BigEndian(source[read..]);
            uint compressed = BinaryPrimitives.ReadUInt32BigEndian(source[(read + 4)..]);
            if (compressed > (uint)(source.Length - read - 8) || decompressed > (uint)(destination.Length - written)
                || LZ4Codec.Decode(source.Slice(read + 8, (int)compressed), destination.Slice(written, (int)decompressed)) != decompressed)
            {
                return LZ4Codec.Decode(source, destination);
            }
            read += 8 + (int)compressed;
            written += (int)decompressed;
        }
        return read == source.Length ? written : LZ4Codec.Decode(source, destination);
    }
}
