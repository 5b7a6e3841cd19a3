namespace LstmWorkers.Core.Tensors;

/// <summary>
/// A dense, row-major (C-order) tensor: <see cref="Data"/> holds the elements, the last dimension
/// of <see cref="Shape"/> varies fastest. Deliberately minimal: shape bookkeeping for packing and
/// the LSTM, not a general tensor library.
/// </summary>
public sealed class Tensor<T> where T : unmanaged
{
    public Tensor(int[] shape, T[] data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        long count = ElementCount(shape);
        if (count != data.Length)
        {
            throw new ArgumentException(
                $"shape [{string.Join(", ", shape)}] needs {count} elements but {data.Length} were given", nameof(data));
        }

        Shape = shape;
        Data = data;
    }

    public Tensor(params int[] shape)
        : this(shape, new T[ElementCount(shape)])
    {
    }

    public int[] Shape { get; }

    public T[] Data { get; }

    public int Rank => Shape.Length;

    /// <summary>Elements in one index of the first dimension (the product of the other dimensions).</summary>
    public int RowSize => Rank == 0 ? 1 : (int)ElementCount(Shape.AsSpan(1));

    public Span<T> Row(int index) => Data.AsSpan(index * RowSize, RowSize);

    public Tensor<T> Reshape(params int[] shape) => new(shape, Data);

    /// <summary>The product of the dimensions.</summary>
    /// <exception cref="ArgumentException">A dimension is negative, or the product exceeds <see cref="long.MaxValue"/>.</exception>
    public static long ElementCount(ReadOnlySpan<int> shape)
    {
        foreach (int dim in shape)
        {
            if (dim < 0)
            {
                throw new ArgumentException($"negative dimension {dim}", nameof(shape));
            }
        }

        return TryElementCount(shape, out long count)
            ? count
            : throw new ArgumentException($"shape [{string.Join(", ", shape.ToArray())}] has more than {long.MaxValue} elements", nameof(shape));
    }

    /// <summary>
    /// The product of the non-negative dimensions of <paramref name="shape"/>, in checked 64-bit arithmetic (a zero
    /// dimension makes it 0 whatever the others); false when it exceeds <see cref="long.MaxValue"/>.
    /// </summary>
    public static bool TryElementCount(ReadOnlySpan<int> shape, out long count)
    {
        count = shape.Contains(0) ? 0 : 1;
        foreach (int dim in shape)
        {
            if (count != 0 && count > long.MaxValue / dim)
            {
                count = 0;
                return false;
            }

            count *= dim;
        }

        return true;
    }

    public override string ToString() => $"Tensor<{typeof(T).Name}>[{string.Join(", ", Shape)}]";
}
