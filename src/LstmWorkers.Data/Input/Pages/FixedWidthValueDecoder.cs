using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Encoding = Parquet.Meta.Encoding;

namespace LstmWorkers.Data.Input.Pages;

/// <summary>INT32, INT64, FLOAT and DOUBLE values: PLAIN (little-endian) and BYTE_STREAM_SPLIT.</summary>
internal class FixedWidthValueDecoder<T> : ValueDecoder<T> where T : unmanaged
{
    private static readonly int Width = Unsafe.SizeOf<T>();

    /// <summary>
    /// Per entry: the value's bytes plus 16 (levels and dictionary indexes take at most a few bytes each, delta blocks
    /// about one more byte per value); plus 1 MiB for headers and padding.
    /// </summary>
    public override long MaxPageBytes(int entries) => (Width + 16L) * entries + (1 << 20);

    protected override long MaxValues(int bytes) => bytes / Width;

    protected override void DecodePlain(ReadOnlySpan<byte> data, Span<T> destination)
    {
        long need = (long)destination.Length * Width;
        if (data.Length < need)
        {
            throw new InvalidDataException($"the PLAIN data of {data.Length} bytes holds fewer than the page's {destination.Length} values of {Width} bytes");
        }
        MemoryMarshal.Cast<byte, T>(data[..(int)need]).CopyTo(destination);
    }

    protected override void DecodeOther(Encoding encoding, ReadOnlySpan<byte> data, Span<T> destination)
    {
        if (encoding != Encoding.BYTE_STREAM_SPLIT)
        {
            base.DecodeOther(encoding, data, destination);
            return;
        }
        // Width streams of n bytes each: byte b of value i is at b * n + i.
        int n = destination.Length;
        if (data.Length < (long)n * Width)
        {
            throw new InvalidDataException($"the BYTE_STREAM_SPLIT data of {data.Length} bytes holds fewer than the page's {n} values of {Width} bytes");
        }
        Span<byte> bytes = MemoryMarshal.AsBytes(destination);
        for (int b = 0; b < Width; b++)
        {
            ReadOnlySpan<byte> stream = data.Slice(b * n, n);
            for (int i = 0; i < n; i++)
            {
                bytes[i * Width + b] = stream[i];
            }
        }
    }
}
