using LstmWorkers.Core.Tensors;

namespace LstmWorkers.Core.Lstm;

/// <summary>
/// An LSTM's (h, c): <see cref="H"/> is [L·D, B, H_out], <see cref="C"/> is [L·D, B, H], first
/// dimension in PyTorch's order (layer 0 forward, layer 0 reverse, layer 1 forward, …).
/// </summary>
public sealed record LstmState(Tensor<float> H, Tensor<float> C)
{
    /// <summary>The same state with the batch dimension reordered: result[:, j] = this[:, order[j]].</summary>
    public LstmState SelectBatch(ReadOnlySpan<int> order) => new(Select(H, order), Select(C, order));

    private static Tensor<float> Select(Tensor<float> state, ReadOnlySpan<int> order)
    {
        int layers = state.Shape[0], batch = state.Shape[1], size = state.Shape[2];
        var result = new Tensor<float>(layers, order.Length, size);
        for (int k = 0; k < layers; k++)
        {
            for (int j = 0; j < order.Length; j++)
            {
                state.Data.AsSpan((k * batch + order[j]) * size, size)
                    .CopyTo(result.Data.AsSpan((k * order.Length + j) * size, size));
            }
        }

        return result;
    }
}
