using LstmWorkers.Core.Tensors;

namespace LstmWorkers.Core.Lstm;

/// <summary><c>nn.Embedding</c> in eval mode: row lookup in a [V, E] table.</summary>
public sealed class Embedding(Tensor<float> weight)
{
    public Tensor<float> Weight { get; } = weight.Rank == 2
        ? weight
        : throw new ArgumentException($"embedding weight must be [V, E]; got {weight}", nameof(weight));

    public int VocabSize => Weight.Shape[0];

    public int Dimension => Weight.Shape[1];

    /// <summary>Looks up ids of any shape [*]; the result is [*, E].</summary>
    public Tensor<float> Forward(Tensor<long> ids)
    {
        var result = new Tensor<float>([.. ids.Shape, Dimension]);
        for (int i = 0; i < ids.Data.Length; i++)
        {
            Row(ids.Data[i]).CopyTo(result.Data.AsSpan(i * Dimension, Dimension));
        }

        return result;
    }

    /// <summary>Gathers the rows of <paramref name="ids"/> into <paramref name="destination"/> ([ids, E]).</summary>
    public void Gather(ReadOnlySpan<int> ids, Span<float> destination)
    {
        for (int i = 0; i < ids.Length; i++)
        {
            Row(ids[i]).CopyTo(destination.Slice(i * Dimension, Dimension));
        }
    }

    /// <summary>Looks up token ids; the result is [ids, E] row-major.</summary>
    public float[] Lookup(ReadOnlySpan<int> ids)
    {
        var result = new float[ids.Length * Dimension];
        Gather(ids, result);
        return result;
    }

    private ReadOnlySpan<float> Row(long id)
    {
        if ((ulong)id >= (ulong)VocabSize)
        {
            throw new ArgumentOutOfRangeException(nameof(id), id, $"token id {id} is outside [0, {VocabSize})");
        }

        return Weight.Data.AsSpan((int)id * Dimension, Dimension);
    }
}
