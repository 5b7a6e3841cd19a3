using System.Buffers.Binary;

namespace LstmWorkers.Data.Input.Pages;

/// <summary>Little-endian, least-significant-bit-first bit unpacking and unsigned LEB128 varints, bounds-checked.</summary>
internal static class BitPacking
{
    /// <summary>
    /// Bits [<paramref name="bit"/>, <paramref name="bit"/> + <paramref name="width"/>) of <paramref name="data"/> as a
    /// number (width 0 to 64). Bytes past the end of <paramref name="data"/> read as 0: callers check that the values
    /// they need lie inside it.
    /// </summary>
    public static ulong Read(ReadOnlySpan<byte> data, long bit, int width)
    {
        if (width == 0)
        {
            return 0;
        }
        int at = (int)(bit >> 3);
        int shift = (int)(bit & 7);
        ulong value;
        if (at <= data.Length - 9)
        {
            value = BinaryPrimitives.ReadUInt64LittleEndian(data[at..]) >> shift;
            if (shift + width > 64)
            {
                value |= (ulong)data[at + 8] << (64 - shift);
            }
        }
        else
        {
            value = 0;
            for (int k = 0; at + k < data.Length && 8 * k - shift < 64; k++)
            {
                int by = 8 * k - shift;
                value |= by >= 0 ? (ulong)data[at + k] << by : (ulong)data[at + k] >> -by;
            }
        }
        return width == 64 ? value : value & ((1UL << width) - 1);
    }

    /// <summary>Bytes that <paramref name="count"/> values of <paramref name="width"/> bits take, rounded up.</summary>
    public static long Bytes(long count, int width) => (count * width + 7) / 8;

    /// <summary>An unsigned LEB128 varint of at most <paramref name="maxBytes"/> bytes at <paramref name="position"/>.</summary>
    public static ulong ReadVarint(ReadOnlySpan<byte> data, ref int position, int maxBytes, string what)
    {
        ulong value = 0;
        for (int i = 0; i < maxBytes; i++)
        {
            if (position >= data.Length)
            {
                throw new InvalidDataException($"the {what} is cut short");
            }
            byte b = data[position++];
            value |= (ulong)(b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
        throw new InvalidDataException($"the {what} is a varint longer than {maxBytes} bytes");
    }

    /// <summary>A zigzag-encoded signed varint (64-bit).</summary>
    public static long ReadZigzag(ReadOnlySpan<byte> data, ref int position, string what)
    {
        ulong value = ReadVarint(data, ref position, 10, what);
        return (long)(value >> 1) ^ -(long)(value & 1);
    }
}
