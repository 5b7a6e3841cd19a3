using LstmWorkers.Core.Models;
using LstmWorkers.Core.Packing;
using LstmWorkers.Core.Tensors;

namespace LstmWorkers.Core.Lstm;

/// <summary>
/// <c>nn.LSTM</c> with PyTorch's calling conventions: feed a <see cref="PackedSequence{T}"/> (or a
/// padded tensor whose sequences all run the full length), get the packed output and (h_n, c_n)
/// in the caller's batch order. Initial state, when given, is in the caller's order too.
/// </summary>
public sealed class LstmModule(ILstmRunner runner)
{
    public LstmModule(LstmModel model)
        : this(new ReferenceLstmRunner(model))
    {
    }

    public LstmConfig Config => runner.Model.Config;

    /// <summary>Runs packed features [N, I]; returns output [N, D·H_out] packed alike, and the final state.</summary>
    public (PackedSequence<float> Output, LstmState State) Forward(PackedSequence<float> input, LstmState? state = null)
    {
        if (input.Data.RowSize != Config.InputSize)
        {
            throw new ArgumentException($"input rows have {input.Data.RowSize} features but {Config} expects {Config.InputSize}");
        }

        var batch = new LstmBatch(input.BatchSize, input.BatchSizes, null, input.Data.Data)
        {
            Initial = input.SortedIndices is { } sorted ? state?.SelectBatch(sorted) : state,
        };
        var result = runner.Run(batch, CancellationToken.None);
        int steps = input.Data.Shape[0];
        var output = input.WithData(new Tensor<float>([steps, Config.NumDirections * Config.OutputSize], result.Output!));
        return (output, ToCallerOrder(result, input));
    }

    /// <summary>Runs a padded batch [T, B, I] (or [B, T, I] with <paramref name="batchFirst"/>) in which
    /// every sequence is T steps long; returns [T, B, D·H_out] (or [B, T, D·H_out]) and the final state.</summary>
    public (Tensor<float> Output, LstmState State) Forward(Tensor<float> input, bool batchFirst = false, LstmState? state = null)
    {
        int steps = batchFirst ? input.Shape[1] : input.Shape[0];
        int batch = batchFirst ? input.Shape[0] : input.Shape[1];
        var lengths = Enumerable.Repeat(steps, batch).ToArray();
        var (output, finalState) = Forward(RnnUtils.Pack(input, lengths, batchFirst), state);
        return (RnnUtils.PadPacked(output, batchFirst).Padded, finalState);
    }

    private LstmState ToCallerOrder(LstmBatchResult result, PackedSequence<float> input)
    {
        int layers = Config.NumLayers * Config.NumDirections;
        var state = new LstmState(
            new Tensor<float>([layers, input.BatchSize, Config.OutputSize], result.HiddenState),
            new Tensor<float>([layers, input.BatchSize, Config.HiddenSize], result.CellState));
        return input.UnsortedIndices is { } unsorted ? state.SelectBatch(unsorted) : state;
    }
}
