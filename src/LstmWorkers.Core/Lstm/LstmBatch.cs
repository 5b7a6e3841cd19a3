using LstmWorkers.Core.Limits;
using LstmWorkers.Core.Models;
using LstmWorkers.Core.Tensors;

namespace LstmWorkers.Core.Lstm;

/// <summary>
/// One packed batch for an LSTM runner: B sequences sorted by decreasing length (zero-length ones
/// last), their steps packed time-major as in <see cref="Packing.PackedSequence{T}"/>.
/// Exactly one of <see cref="Tokens"/> ([N] token ids, for a model with an embedding) and
/// <see cref="Features"/> ([N, I], row-major: the features, or an embedding model's embedded tokens) is set.
/// </summary>
public sealed record LstmBatch(int BatchSize, int[] BatchSizes, int[]? Tokens, float[]? Features)
{
    /// <summary>Initial state in the batch's (sorted) order; zeros when null.</summary>
    public LstmState? Initial { get; init; }

    /// <summary>False when the output itself is not wanted (only h_n, c_n or pooled vectors): the runner does not return it, and
    /// without <see cref="Pooling"/> may skip storing the last layer's output.</summary>
    public bool NeedOutput { get; init; } = true;

    /// <summary>The per-sequence reductions of the last layer's output to return (<see cref="OutputPooling"/>); a runner
    /// then computes that output even when <see cref="NeedOutput"/> is false, but does not return it.</summary>
    public LstmPooling Pooling { get; init; }

    /// <summary>True when the runner must keep the last layer's output: to return it, or to pool it.</summary>
    public bool KeepsOutput => NeedOutput || Pooling != LstmPooling.None;

    /// <summary>
    /// Checks the batch against <paramref name="config"/> and the program's size limits, before a runner indexes anything
    /// with it, and returns the row offset where each step begins in the packed data ([T_max + 1]; the last is N). Every
    /// runner calls this first, so <c>--device</c> never changes what is refused.
    /// </summary>
    /// <exception cref="ArgumentException">The batch does not fit the model, is not sorted, or is too large.</exception>
    public int[] Validate(LstmConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(BatchSizes);
        int[] offsets = Offsets();
        int steps = offsets[^1];
        CheckInput(config, steps);
        long stateRows = SizeLimits.Product(config.NumLayers, config.NumDirections, BatchSize);
        Check(SizeLimits.Product(stateRows, config.HiddenSize), $"the batch's c_n: {config.NumLayers * config.NumDirections} × {BatchSize} rows × {config.HiddenSize}");
        if (KeepsOutput)
        {
            Check(SizeLimits.Product(steps, config.NumDirections, config.OutputSize),
                $"the batch's output: {steps} steps × {config.NumDirections * config.OutputSize}");
        }

        if (Pooling != LstmPooling.None)
        {
            Check(SizeLimits.Product(BatchSize, config.NumDirections, config.OutputSize),
                $"the batch's pooled output: {BatchSize} rows × {config.NumDirections * config.OutputSize}");
        }

        if (Initial is { } initial)
        {
            CheckState(initial.H, "h_0", config.OutputSize, config);
            CheckState(initial.C, "c_0", config.HiddenSize, config);
        }

        return offsets;
    }

    /// <summary>Offsets of the steps, each batch size in [1, the one before] (the first at most B), the sum within the limit.</summary>
    private int[] Offsets()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(BatchSize);
        var offsets = new int[BatchSizes.Length + 1];
        long sum = 0;
        for (int t = 0; t < BatchSizes.Length; t++)
        {
            int limit = t == 0 ? BatchSize : BatchSizes[t - 1];
            if (BatchSizes[t] < 1 || BatchSizes[t] > limit)
            {
                throw new ArgumentException(
                    $"batch_sizes[{t}] = {BatchSizes[t]} must be in [1, {limit}]: sequences sorted by decreasing length, at most {BatchSize}");
            }

            sum += BatchSizes[t];
            Check(sum, $"the batch's packed steps ({BatchSizes.Length} time steps of up to {BatchSize} rows)");
            offsets[t + 1] = (int)sum;
        }

        return offsets;
    }

    private void CheckInput(LstmConfig config, int steps)
    {
        // Features are the first layer's input as given: an embedding model's embedded tokens, too.
        if (Tokens is null == (Features is null) || (Tokens is not null && !config.HasEmbedding))
        {
            throw new ArgumentException(config.HasEmbedding
                ? $"the model takes token ids or {config.InputSize} embedded features per step; the batch has {(Tokens is null ? "no input" : "both")}"
                : $"the model takes {config.InputSize} features per step; the batch has {(Tokens is null ? "no input" : "token ids")}");
        }

        if (Tokens is { } tokens)
        {
            if (tokens.Length != steps)
            {
                throw new ArgumentException($"the batch has {tokens.Length} token ids for {steps} packed steps");
            }

            foreach (int id in tokens)
            {
                if ((uint)id >= (uint)config.VocabSize)
                {
                    throw new ArgumentException($"token id {id} is outside [0, {config.VocabSize})");
                }
            }
        }
        else if (Features!.Length != SizeLimits.Product(steps, config.InputSize))
        {
            throw new ArgumentException($"the batch has {Features.Length} features for {steps} packed steps × {config.InputSize}");
        }
    }

    private void CheckState(Tensor<float> state, string name, int size, LstmConfig config)
    {
        int layers = config.NumLayers * config.NumDirections;
        if (state.Rank != 3 || state.Shape[0] != layers || state.Shape[1] != BatchSize || state.Shape[2] != size)
        {
            throw new ArgumentException($"{name} has shape [{string.Join(", ", state.Shape)}]; [{layers}, {BatchSize}, {size}] was expected");
        }
    }

    /// <summary>Refuses an array of <paramref name="elements"/> values (<paramref name="what"/>) that cannot be built.</summary>
    public static void Check(long elements, string what)
    {
        if (!SizeLimits.Fits(elements))
        {
            throw new ArgumentException($"{what} would be {elements} values; at most {SizeLimits.MaxElements} fit in one batch");
        }
    }
}
