using System.Numerics;
using System.Runtime.CompilerServices;

namespace LstmWorkers.Data.Input.Pages;

/// <summary>
/// DELTA_BINARY_PACKED integers: a header (block size, miniblocks per block, value count, first value), then blocks of
/// [min delta, one bit width per miniblock, the miniblocks' bit-packed deltas]. Arithmetic wraps in the value's width,
/// as the format says; every size in the data is checked against the data and the destination.
/// </summary>
internal static class DeltaBinaryPacked
{
    private const int MaxBlockSize = 1 << 20;

    /// <summary>Decodes exactly <paramref name="destination"/>.Length values; returns the bytes the encoding took.</summary>
    /// <exception cref="InvalidDataException">A bad header or bit width, a count other than the destination's, data cut short.</exception>
    public static int Decode<T>(ReadOnlySpan<byte> data, Span<T> destination) where T : unmanaged, IBinaryInteger<T>
    {
        int position = 0;
        ulong blockSize = BitPacking.ReadVarint(data, ref position, 5, "DELTA_BINARY_PACKED header");
        ulong miniblocks = BitPacking.ReadVarint(data, ref position, 5, "DELTA_BINARY_PACKED header");
        ulong count = BitPacking.ReadVarint(data, ref position, 5, "DELTA_BINARY_PACKED header");
        long first = BitPacking.ReadZigzag(data, ref position, "DELTA_BINARY_PACKED header");
        if (blockSize == 0 || blockSize % 128 != 0 || blockSize > MaxBlockSize)
        {
            throw new InvalidDataException($"DELTA_BINARY_PACKED block size {blockSize} is not a positive multiple of 128 up to {MaxBlockSize}");
        }
        if (miniblocks == 0 || blockSize % miniblocks != 0 || blockSize / miniblocks % 32 != 0)
        {
            throw new InvalidDataException(
                $"DELTA_BINARY_PACKED block size {blockSize} does not split into {miniblocks} miniblocks of a multiple of 32 values");
        }
        if (count != (ulong)destination.Length)
        {
            throw new InvalidDataException($"DELTA_BINARY_PACKED data holds {count} values where the page needs {destination.Length}");
        }
        if (count == 0)
        {
            return position;
        }
        int maxWidth = Unsafe.SizeOf<T>() * 8;
        int perMiniblock = (int)(blockSize / miniblocks);
        ulong value = unchecked((ulong)first);
        destination[0] = T.CreateTruncating(value);
        int done = 1;
        while (done < destination.Length)
        {
            ulong minDelta = unchecked((ulong)BitPacking.ReadZigzag(data, ref position, "DELTA_BINARY_PACKED block"));
            if ((ulong)(data.Length - position) < miniblocks)
            {
                throw new InvalidDataException("DELTA_BINARY_PACKED data ends inside a block's bit widths");
            }
            ReadOnlySpan<byte> widths = data.Slice(position, (int)miniblocks);
            position += (int)miniblocks;
            for (int m = 0; m < widths.Length && done < destination.Length; m++)
            {
                int width = widths[m];
                if (width > maxWidth)
                {
                    throw new InvalidDataException($"a DELTA_BINARY_PACKED miniblock has bit width {width}; at most {maxWidth} fits the values");
                }
                int take = Math.Min(perMiniblock, destination.Length - done);
                if (BitPacking.Bytes(take, width) > data.Length - position)
                {
                    throw new InvalidDataException($"DELTA_BINARY_PACKED data ends inside a miniblock ({done} of {destination.Length} values read)");
                }
                ReadOnlySpan<byte> packed = data[position..];
                for (int i = 0; i < take; i++)
                {
                    value = unchecked(value + minDelta + BitPacking.Read(packed, (long)i * width, width));
                    destination[done++] = T.CreateTruncating(value);
                }
                position += (int)Math.Min(BitPacking.Bytes(perMiniblock, width), data.Length - position);
            }
        }
        return position;
    }
}
