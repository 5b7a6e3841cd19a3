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

    public static long ElementCount(ReadOnlySpan<int> shape)
    {
        long count = 1;
        foreach (int dim in shape)
        {
            if (dim < 0)
            {
                throw new ArgumentException($"negative dimension {dim}", nameof(shape));
            }

            count *= dim;
        }

        return count;
    }

    public override string ToString() => $"Tensor<{typeof(T).Name}>[{string.Join(", ", Shape)}]";
}
