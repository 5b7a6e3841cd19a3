using System.Buffers;
using Parquet.Meta;
using Encoding = Parquet.Meta.Encoding;
using PhysicalType = Parquet.Meta.Type;

namespace LstmWorkers.Data.Input.Pages;

/// <summary>
/// Decodes the values section of a page into values of type <typeparamref name="T"/>, as Parquet.Net's raw read gives
/// them: PLAIN and dictionary indexes here (the dictionary page is PLAIN), the other encodings in the subclass for the
/// physical type. One instance per column chunk: it holds that chunk's dictionary.
/// </summary>
internal abstract class ValueDecoder<T>
{
    private T[]? _dictionary;

    /// <summary>A decoder for <paramref name="physical"/> values read as <typeparamref name="T"/>.</summary>
    /// <exception cref="NotSupportedException">The physical type is not one this reader reads as <typeparamref name="T"/>.</exception>
    public static ValueDecoder<T> For(PhysicalType physical)
    {
        object? decoder = physical switch
        {
            PhysicalType.INT32 when typeof(T) == typeof(int) => new IntegerValueDecoder<int>(),
            PhysicalType.INT64 when typeof(T) == typeof(long) => new IntegerValueDecoder<long>(),
            PhysicalType.FLOAT when typeof(T) == typeof(float) => new FixedWidthValueDecoder<float>(),
            PhysicalType.DOUBLE when typeof(T) == typeof(double) => new FixedWidthValueDecoder<double>(),
            PhysicalType.BYTE_ARRAY when typeof(T) == typeof(ReadOnlyMemory<char>) => new StringValueDecoder(),
            _ => null,
        };
        return decoder as ValueDecoder<T>
            ?? throw new NotSupportedException($"the column chunk holds {physical} values, which this reader does not read for this column");
    }

    /// <summary>Reads the chunk's dictionary page: <paramref name="count"/> PLAIN values.</summary>
    public void ReadDictionary(ReadOnlySpan<byte> data, int count, Encoding encoding)
    {
        if (_dictionary is not null)
        {
            throw new InvalidDataException("the column chunk has a second dictionary page");
        }
        if (encoding is not (Encoding.PLAIN or Encoding.PLAIN_DICTIONARY))
        {
            throw new NotSupportedException($"the dictionary page is encoded as {encoding}; only PLAIN is defined");
        }
        if (count > MaxValues(data.Length))
        {
            throw new InvalidDataException($"the dictionary page says it holds {count} values, more than its {data.Length} bytes can");
        }
        var dictionary = new T[count];
        DecodePlain(data, dictionary);
        _dictionary = dictionary;
    }

    /// <summary>Fills all of <paramref name="destination"/> from a page's values section encoded as <paramref name="encoding"/>.</summary>
    public void Decode(Encoding encoding, ReadOnlySpan<byte> data, Span<T> destination)
    {
        if (destination.IsEmpty)
        {
            return;
        }
        switch (encoding)
        {
            case Encoding.PLAIN:
                DecodePlain(data, destination);
                break;
            case Encoding.PLAIN_DICTIONARY or Encoding.RLE_DICTIONARY:
                DecodeIndexes(data, destination);
                break;
            default:
                DecodeOther(encoding, data, destination);
                break;
        }
    }

    /// <summary>
    /// The most bytes a page of <paramref name="entries"/> entries can need, levels included, in any encoding: a larger
    /// size in a page header is refused before a buffer is made for it.
    /// </summary>
    public abstract long MaxPageBytes(int entries);

    /// <summary>The most values <paramref name="bytes"/> bytes of PLAIN data can hold.</summary>
    protected abstract long MaxValues(int bytes);

    protected abstract void DecodePlain(ReadOnlySpan<byte> data, Span<T> destination);

    protected virtual void DecodeOther(Encoding encoding, ReadOnlySpan<byte> data, Span<T> destination) =>
        throw new NotSupportedException($"the page is encoded as {encoding}, which is not defined for {typeof(T).Name} values");

    private void DecodeIndexes(ReadOnlySpan<byte> data, Span<T> destination)
    {
        T[] dictionary = _dictionary ?? throw new InvalidDataException("a dictionary-encoded page comes before any dictionary page");
        if (dictionary.Length == 0)
        {
            throw new InvalidDataException($"a dictionary-encoded page of {destination.Length} values refers to an empty dictionary");
        }
        if (data.IsEmpty)
        {
            throw new InvalidDataException("the dictionary-encoded page has no bit width");
        }
        int[] indexes = ArrayPool<int>.Shared.Rent(destination.Length);
        try
        {
            Span<int> span = indexes.AsSpan(0, destination.Length);
            RleHybrid.Decode(data[1..], data[0], span, "dictionary indexes");
            int bad = span.IndexOfAnyExceptInRange(0, dictionary.Length - 1);
            if (bad >= 0)
            {
                throw new InvalidDataException($"dictionary index {span[bad]} is outside the dictionary of {dictionary.Length} values");
            }
            for (int i = 0; i < span.Length; i++)
            {
                destination[i] = dictionary[span[i]];
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(indexes);
        }
    }
}
