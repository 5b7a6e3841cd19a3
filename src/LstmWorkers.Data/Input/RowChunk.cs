using System.Buffers;

namespace LstmWorkers.Data.Input;

/// <summary>
/// Rows [<see cref="FirstRow"/>, <see cref="FirstRow"/> + <see cref="Count"/>) of a dataset, validated, all from one file.
/// Row <c>i</c>'s time steps are <c>Offsets[i]</c> … <c>Offsets[i + 1]</c> − 1; its length is <c>Lengths[i]</c>.
/// Exactly one of <see cref="Tokens"/> (token ids) and <see cref="Features"/> (features) is set, until
/// <see cref="Release"/>. In the chunks <see cref="DatasetReader"/> gives, that array comes from
/// <see cref="ArrayPool{T}.Shared"/> and may be longer than the rows need (what lies past their values is not part of
/// the chunk); whoever is done with the chunk's rows releases it, so that the next chunk reuses its memory instead of
/// faulting in fresh pages (an unreleased one is simply collected).
/// </summary>
public sealed class RowChunk
{
    /// <summary>Creates a chunk and checks that the arrays fit together.</summary>
    /// <param name="file">The file the rows come from.</param>
    /// <param name="firstRow">The global row number of the first row.</param>
    /// <param name="ids">One id per row.</param>
    /// <param name="lengths">Time steps per row.</param>
    /// <param name="tokens">Token ids, all rows concatenated ([sum(lengths)]), or null for features.</param>
    /// <param name="features">Features, all rows concatenated, each row time-major ([sum(lengths) × inputSize]), or null for tokens.</param>
    /// <param name="inputSize">Features per time step (0 for token ids).</param>
    public RowChunk(string file, long firstRow, IdValues ids, int[] lengths, int[]? tokens, float[]? features, int inputSize)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(lengths);
        if (ids.Count != lengths.Length)
        {
            throw new ArgumentException($"{ids.Count} ids for {lengths.Length} lengths.", nameof(ids));
        }
        if ((tokens is null) == (features is null))
        {
            throw new ArgumentException("Exactly one of tokens and features must be given.", nameof(tokens));
        }
        if (features is not null && inputSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, "Features need a positive input size.");
        }
        var offsets = new int[lengths.Length + 1];
        long total = 0;
        for (int i = 0; i < lengths.Length; i++)
        {
            if (lengths[i] < 0)
            {
                throw new ArgumentException($"Length {lengths[i]} of row {i} is negative.", nameof(lengths));
            }
            total += lengths[i];
            offsets[i + 1] = checked((int)total);
        }
        long expected = tokens is not null ? total : total * inputSize;
        int actual = tokens?.Length ?? features!.Length;
        if (actual < expected)
        {
            throw new ArgumentException($"The sequence data has {actual} values; the lengths need {expected}.", tokens is not null ? nameof(tokens) : nameof(features));
        }
        File = file;
        FirstRow = firstRow;
        Ids = ids;
        Lengths = lengths;
        Offsets = offsets;
        Tokens = tokens;
        Features = features;
        InputSize = tokens is not null ? 0 : inputSize;
    }

    /// <summary>The file the rows come from (full path).</summary>
    public string File { get; }

    /// <summary>Global row number of the first row (rows are numbered from 0 across all files).</summary>
    public long FirstRow { get; }

    /// <summary>Number of rows.</summary>
    public int Count => Lengths.Length;

    /// <summary><see cref="Count"/> ids; for <see cref="IdKind.RowNumber"/> the global row numbers.</summary>
    public IdValues Ids { get; }

    /// <summary>Time steps per row, after truncation.</summary>
    public int[] Lengths { get; }

    /// <summary>
    /// <see cref="Count"/> + 1 offsets in time steps: row <c>i</c> starts at <c>Offsets[i]</c> in <see cref="Tokens"/>, or at
    /// element <c>Offsets[i] * InputSize</c> in <see cref="Features"/>.
    /// </summary>
    public int[] Offsets { get; }

    /// <summary>
    /// Token ids of all rows concatenated (the first Offsets[Count] elements), for <see cref="SequenceKind.TokenIds"/>;
    /// else null, and null after <see cref="Release"/>.
    /// </summary>
    public int[]? Tokens { get; private set; }

    /// <summary>
    /// Features of all rows concatenated, each row time-major: the first Offsets[Count] × InputSize elements (double inputs
    /// converted to float), for feature columns; else null, and null after <see cref="Release"/>.
    /// </summary>
    public float[]? Features { get; private set; }

    /// <summary>Features per time step; 0 for token ids.</summary>
    public int InputSize { get; }

    /// <summary>The sequence array was rented from <see cref="ArrayPool{T}.Shared"/> and belongs to the chunk: <see cref="Release"/> returns it.</summary>
    internal bool Pooled { get; init; }

    /// <summary>Total time steps in the chunk.</summary>
    public int TotalSteps => Offsets[^1];

    /// <summary>
    /// Drops the sequence array, handing it back to the pool when it came from there, once nothing reads it any more
    /// (nor a span taken from it); the ids and lengths stay. Releasing twice does nothing.
    /// </summary>
    public void Release()
    {
        if (Pooled && Tokens is { Length: > 0 } tokens)
        {
            ArrayPool<int>.Shared.Return(tokens);
        }
        if (Pooled && Features is { Length: > 0 } features)
        {
            ArrayPool<float>.Shared.Return(features);
        }
        Tokens = null;
        Features = null;
    }
}
