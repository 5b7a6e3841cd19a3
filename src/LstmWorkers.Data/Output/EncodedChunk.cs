using LstmWorkers.Data.Input;

namespace LstmWorkers.Data.Output;

/// <summary>
/// Encoded rows to append to an encoding file: row <c>i</c> has id <c>Ids[i]</c>, length <c>Lengths[i]</c> and, for each
/// written column, floats [i × RowSize, (i + 1) × RowSize) of <see cref="Output"/>, <see cref="Hn"/>, <see cref="Cn"/>,
/// <see cref="PooledMean"/>, <see cref="PooledMax"/> (row sizes from <see cref="OutputSchema"/>); a ragged <see cref="Output"/>
/// holds the rows' steps one after another, Lengths[i] × D·H_out floats for row <c>i</c>.
/// </summary>
public sealed class EncodedChunk
{
    /// <summary>Creates a chunk; the writer checks the sizes against its schema.</summary>
    public EncodedChunk(IdValues ids, int[] lengths, float[]? output, float[]? hn, float[]? cn, float[]? pooledMean = null, float[]? pooledMax = null)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(lengths);
        if (ids.Count != lengths.Length)
        {
            throw new ArgumentException($"{ids.Count} ids for {lengths.Length} lengths.", nameof(ids));
        }
        Ids = ids;
        Lengths = lengths;
        Output = output;
        Hn = hn;
        Cn = cn;
        PooledMean = pooledMean;
        PooledMax = pooledMax;
    }

    /// <summary>One id per row.</summary>
    public IdValues Ids { get; }

    /// <summary>Sequence length per row (time steps).</summary>
    public int[] Lengths { get; }

    /// <summary>[Count × OutputRowSize]: per row [T, D·H_out] row-major, padded past the length (ragged: [Lengths[i], D·H_out]
    /// per row, concatenated); null when not written.</summary>
    public float[]? Output { get; }

    /// <summary>[Count × HnRowSize]: per row [L·D, H_out] in PyTorch's layer/direction order; null when not written.</summary>
    public float[]? Hn { get; }

    /// <summary>[Count × CnRowSize]: per row [L·D, H]; null when not written.</summary>
    public float[]? Cn { get; }

    /// <summary>[Count × D·H_out]: each row's mean of <c>output</c> over its steps; null when not written.</summary>
    public float[]? PooledMean { get; }

    /// <summary>[Count × D·H_out]: each row's maximum of <c>output</c> over its steps; null when not written.</summary>
    public float[]? PooledMax { get; }

    /// <summary>Number of rows.</summary>
    public int Count => Lengths.Length;

    /// <summary>The bytes of the chunk's float columns together.</summary>
    public long FloatBytes =>
        sizeof(float) * ((long)(Output?.Length ?? 0) + (Hn?.Length ?? 0) + (Cn?.Length ?? 0) + (PooledMean?.Length ?? 0) + (PooledMax?.Length ?? 0));
}
