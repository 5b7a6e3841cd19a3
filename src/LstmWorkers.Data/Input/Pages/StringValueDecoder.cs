using System.Buffers;
using System.Buffers.Binary;
using Encoding = Parquet.Meta.Encoding;

namespace LstmWorkers.Data.Input.Pages;

/// <summary>
/// UTF-8 BYTE_ARRAY values as Parquet.Net gives strings (<see cref="ReadOnlyMemory{T}"/> of char; invalid UTF-8 becomes
/// U+FFFD): PLAIN (4-byte length, bytes), DELTA_LENGTH_BYTE_ARRAY (delta-packed lengths, then the bytes) and
/// DELTA_BYTE_ARRAY (delta-packed prefix lengths shared with the previous value, then the suffixes as
/// DELTA_LENGTH_BYTE_ARRAY).
/// </summary>
internal sealed class StringValueDecoder : ValueDecoder<ReadOnlyMemory<char>>
{
    /// <summary>Strings can be of any length.</summary>
    public override long MaxPageBytes(int entries) => Array.MaxLength;

    protected override long MaxValues(int bytes) => bytes / sizeof(int);

    protected override void DecodePlain(ReadOnlySpan<byte> data, Span<ReadOnlyMemory<char>> destination)
    {
        int position = 0;
        for (int i = 0; i < destination.Length; i++)
        {
            if (data.Length - position < sizeof(int))
            {
                throw new InvalidDataException($"the PLAIN data ends after {i} of the page's {destination.Length} values");
            }
            int length = BinaryPrimitives.ReadInt32LittleEndian(data[position..]);
            position += sizeof(int);
            if (length < 0 || length > data.Length - position)
            {
                throw new InvalidDataException($"PLAIN value {i} says it has {length} bytes; {data.Length - position} are left");
            }
            destination[i] = Text(data.Slice(position, length));
            position += length;
        }
    }

    protected override void DecodeOther(Encoding encoding, ReadOnlySpan<byte> data, Span<ReadOnlyMemory<char>> destination)
    {
        switch (encoding)
        {
            case Encoding.DELTA_LENGTH_BYTE_ARRAY:
                DecodeDeltaLength(data, destination, prefixes: default);
                break;
            case Encoding.DELTA_BYTE_ARRAY:
                int[] prefixes = ArrayPool<int>.Shared.Rent(destination.Length);
                try
                {
                    Span<int> span = prefixes.AsSpan(0, destination.Length);
                    int used = DeltaBinaryPacked.Decode(data, span);
                    DecodeDeltaLength(data[used..], destination, span);
                }
                finally
                {
                    ArrayPool<int>.Shared.Return(prefixes);
                }
                break;
            default:
                base.DecodeOther(encoding, data, destination);
                break;
        }
    }

    /// <summary>DELTA_LENGTH_BYTE_ARRAY; with <paramref name="prefixes"/>, each value starts with that many bytes of the one before.</summary>
    private static void DecodeDeltaLength(ReadOnlySpan<byte> data, Span<ReadOnlyMemory<char>> destination, ReadOnlySpan<int> prefixes)
    {
        int n = destination.Length;
        int[] lengths = ArrayPool<int>.Shared.Rent(n);
        byte[] previous = [];
        try
        {
            Span<int> span = lengths.AsSpan(0, n);
            int position = DeltaBinaryPacked.Decode(data, span);
            int previousLength = 0;
            for (int i = 0; i < n; i++)
            {
                int length = span[i];
                if (length < 0 || length > data.Length - position)
                {
                    throw new InvalidDataException($"value {i} says it has {length} bytes; {data.Length - position} are left");
                }
                ReadOnlySpan<byte> suffix = data.Slice(position, length);
                position += length;
                if (prefixes.IsEmpty)
                {
                    destination[i] = Text(suffix);
                    continue;
                }
                int prefix = prefixes[i];
                if (prefix < 0 || prefix > previousLength)
                {
                    throw new InvalidDataException($"value {i} shares a prefix of {prefix} bytes with a value of {previousLength}");
                }
                int total = prefix + length;
                if (previous.Length < total)
                {
                    Array.Resize(ref previous, (int)Math.Min(Array.MaxLength, Math.Max(total, 2L * previous.Length)));
                }
                suffix.CopyTo(previous.AsSpan(prefix));
                destination[i] = Text(previous.AsSpan(0, total));
                previousLength = total;
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(lengths);
        }
    }

    private static ReadOnlyMemory<char> Text(ReadOnlySpan<byte> utf8) => System.Text.Encoding.UTF8.GetString(utf8).AsMemory();
}
