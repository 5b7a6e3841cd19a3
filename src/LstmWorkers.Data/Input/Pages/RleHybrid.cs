namespace LstmWorkers.Data.Input.Pages;

/// <summary>
/// The RLE / bit-packed hybrid encoding of levels and dictionary indexes: runs of a header varint (low bit 0: a repeated
/// value of ⌈width/8⌉ bytes, count = header/2; low bit 1: header/2 groups of 8 bit-packed values), no length prefix.
/// </summary>
internal static class RleHybrid
{
    /// <summary>Fills all of <paramref name="destination"/> from <paramref name="data"/>; values have <paramref name="width"/> bits (0 to 32).</summary>
    /// <exception cref="InvalidDataException">The data ends before enough values, or a repeated value is wider than the width.</exception>
    public static void Decode(ReadOnlySpan<byte> data, int width, Span<int> destination, string what)
    {
        if (width is < 0 or > 32)
        {
            throw new InvalidDataException($"the {what} have bit width {width}; at most 32 is allowed");
        }
        int valueBytes = (width + 7) / 8;
        int position = 0, done = 0;
        while (done < destination.Length)
        {
            if (position >= data.Length)
            {
                throw new InvalidDataException($"the {what} end after {done} of {destination.Length} values");
            }
            ulong header = BitPacking.ReadVarint(data, ref position, 5, $"run header of the {what}");
            int left = destination.Length - done;
            if ((header & 1) == 0)
            {
                if (valueBytes > data.Length - position)
                {
                    throw new InvalidDataException($"the {what} end inside a run");
                }
                ulong value = BitPacking.Read(data.Slice(position, valueBytes), 0, 8 * valueBytes);
                if (width < 32 && value >> width != 0)
                {
                    throw new InvalidDataException($"a run of the {what} repeats {value}, which does not fit in bit width {width}");
                }
                int count = (int)Math.Min(header >> 1, (ulong)left);
                destination.Slice(done, count).Fill(unchecked((int)(uint)value));
                position += valueBytes;
                done += count;
            }
            else
            {
                long groupBytes = (long)(header >> 1) * width;                // 8 values of `width` bits per group
                int count = (int)Math.Min((long)(header >> 1) * 8, left);
                if (BitPacking.Bytes(count, width) > data.Length - position)
                {
                    throw new InvalidDataException($"the {what} end inside a bit-packed run");
                }
                ReadOnlySpan<byte> packed = data[position..];
                Span<int> target = destination.Slice(done, count);
                for (int i = 0; i < target.Length; i++)
                {
                    target[i] = unchecked((int)(uint)BitPacking.Read(packed, (long)i * width, width));
                }
                position += (int)Math.Min(groupBytes, data.Length - position);
                done += count;
            }
        }
    }
}
