using System.Numerics;

namespace LstmWorkers.Data.Tests.Support;

/// <summary>A plain DELTA_BINARY_PACKED encoder (blocks of 128 values in 4 miniblocks) for round-trip tests of the decoder.</summary>
public static class DeltaEncoder
{
    /// <summary>Encodes <paramref name="values"/> as integers of <paramref name="bits"/> bits (32 or 64), deltas wrapping in that width.</summary>
    public static byte[] Encode(long[] values, int bits)
    {
        var bytes = new List<byte>();
        Varint(bytes, 128);
        Varint(bytes, 4);
        Varint(bytes, (ulong)values.Length);
        Varint(bytes, Zigzag(values.Length > 0 ? values[0] : 0));
        ulong mask = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
        for (int start = 1; start < values.Length; start += 128)
        {
            int count = Math.Min(128, values.Length - start);
            // deltas in the type's width, as signed numbers of that width
            long[] deltas = Enumerable.Range(start, count)
                .Select(i => SignExtend(unchecked((ulong)values[i] - (ulong)values[i - 1]) & mask, bits)).ToArray();
            long min = deltas.Min();
            Varint(bytes, Zigzag(min));
            ulong[] packed = deltas.Select(d => unchecked((ulong)d - (ulong)min) & mask).ToArray();
            var widths = new byte[4];
            for (int m = 0; m < 4; m++)
            {
                ulong max = packed.Skip(m * 32).Take(32).DefaultIfEmpty().Max();
                widths[m] = (byte)(64 - BitOperations.LeadingZeroCount(max));
            }
            bytes.AddRange(widths);
            for (int m = 0; m < 4 && m * 32 < count; m++)
            {
                ulong[] mini = [.. packed.Skip(m * 32).Take(32), .. new ulong[Math.Max(0, 32 - (count - m * 32))]];
                bytes.AddRange(Pack(mini, widths[m]));
            }
        }
        return [.. bytes];
    }

    private static long SignExtend(ulong value, int bits) => unchecked(bits == 64 ? (long)value : (long)(value << (64 - bits)) >> (64 - bits));

    private static byte[] Pack(ulong[] values, int width)
    {
        var bytes = new byte[values.Length * width / 8];
        for (int i = 0; i < values.Length; i++)
        {
            for (int b = 0; b < width; b++)
            {
                if ((values[i] >> b & 1) != 0)
                {
                    int bit = i * width + b;
                    bytes[bit / 8] |= (byte)(1 << (bit % 8));
                }
            }
        }
        return bytes;
    }

    private static ulong Zigzag(long value) => unchecked((ulong)((value << 1) ^ (value >> 63)));

    private static void Varint(List<byte> bytes, ulong value)
    {
        do
        {
            byte b = (byte)(value & 0x7f);
            value >>= 7;
            bytes.Add(value != 0 ? (byte)(b | 0x80) : b);
        }
        while (value != 0);
    }
}
