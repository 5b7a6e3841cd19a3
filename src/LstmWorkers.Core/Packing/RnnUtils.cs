using LstmWorkers.Core.Tensors;

namespace LstmWorkers.Core.Packing;

/// <summary>
/// The packing functions of <c>torch.nn.utils.rnn</c>, element for element: pack_padded_sequence,
/// pad_packed_sequence, pad_sequence and pack_sequence, plus <see cref="PackRows{T}"/> for
/// sequences stored back to back. Ties in length keep the caller's order (a stable sort), as
/// PyTorch's CPU sort does. Lengths of 0 are accepted (PyTorch refuses them).
/// </summary>
public static class RnnUtils
{
    /// <summary>pack_padded_sequence: <paramref name="input"/> is [T, B, *] or, with
    /// <paramref name="batchFirst"/>, [B, T, *].</summary>
    public static PackedSequence<T> Pack<T>(Tensor<T> input, ReadOnlySpan<int> lengths, bool batchFirst = false,
        bool enforceSorted = true) where T : unmanaged
    {
        if (input.Rank < 2)
        {
            throw new ArgumentException($"input must be [T, B, *] or [B, T, *]; got {input}", nameof(input));
        }

        int batch = batchFirst ? input.Shape[0] : input.Shape[1];
        int steps = batchFirst ? input.Shape[1] : input.Shape[0];
        int feature = (int)Tensor<T>.ElementCount(input.Shape.AsSpan(2));
        if (lengths.Length != batch)
        {
            throw new ArgumentException($"{lengths.Length} lengths given for a batch of {batch}", nameof(lengths));
        }

        var rowStart = new long[batch];
        for (int b = 0; b < batch; b++)
        {
            if (lengths[b] > steps)
            {
                throw new ArgumentException($"length {lengths[b]} of sequence {b} exceeds the input's {steps} steps", nameof(lengths));
            }

            rowStart[b] = batchFirst ? (long)b * steps * feature : (long)b * feature;
        }

        long timeStride = batchFirst ? feature : (long)batch * feature;
        return PackCore(input.Data, rowStart, timeStride, lengths, input.Shape.AsSpan(2), enforceSorted);
    }

    /// <summary>Packs sequences stored back to back: sequence b has <paramref name="lengths"/>[b]
    /// steps of <paramref name="featureShape"/> elements starting at step <paramref name="offsets"/>[b].</summary>
    public static PackedSequence<T> PackRows<T>(ReadOnlySpan<T> data, ReadOnlySpan<int> offsets, ReadOnlySpan<int> lengths,
        ReadOnlySpan<int> featureShape, bool enforceSorted) where T : unmanaged
    {
        int feature = (int)Tensor<T>.ElementCount(featureShape);
        var rowStart = new long[lengths.Length];
        for (int b = 0; b < lengths.Length; b++)
        {
            rowStart[b] = (long)offsets[b] * feature;
            if (rowStart[b] + (long)lengths[b] * feature > data.Length)
            {
                throw new ArgumentException($"sequence {b} (offset {offsets[b]}, length {lengths[b]}) runs past the data", nameof(offsets));
            }
        }

        return PackCore(data, rowStart, feature, lengths, featureShape, enforceSorted);
    }

    /// <summary>pack_sequence: each tensor is [L_b, *] with the same trailing shape.</summary>
    public static PackedSequence<T> PackSequences<T>(IReadOnlyList<Tensor<T>> sequences, bool enforceSorted = true)
        where T : unmanaged
    {
        var (data, offsets, lengths, featureShape) = Concatenate(sequences);
        return PackRows<T>(data, offsets, lengths, featureShape, enforceSorted);
    }

    /// <summary>pad_sequence: [T_max, B, *] or, with <paramref name="batchFirst"/>, [B, T_max, *].</summary>
    public static Tensor<T> PadSequences<T>(IReadOnlyList<Tensor<T>> sequences, bool batchFirst = false, T paddingValue = default)
        where T : unmanaged
    {
        var (data, offsets, lengths, featureShape) = Concatenate(sequences);
        int maxLength = lengths.Length == 0 ? 0 : lengths.Max();
        var packed = PackRows<T>(data, offsets, lengths, featureShape, enforceSorted: false);
        return PadPacked(packed, batchFirst, paddingValue, maxLength).Padded;
    }

    /// <summary>pad_packed_sequence: returns the padded tensor in the caller's order ([T, B, *] or
    /// [B, T, *]) and the lengths. <paramref name="totalLength"/> pads to that many steps.</summary>
    public static (Tensor<T> Padded, int[] Lengths) PadPacked<T>(PackedSequence<T> sequence, bool batchFirst = false,
        T paddingValue = default, int? totalLength = null) where T : unmanaged
    {
        int steps = totalLength ?? sequence.MaxLength;
        if (steps < sequence.MaxLength)
        {
            throw new ArgumentException(
                $"expected total_length to be at least the length of the longest sequence ({sequence.MaxLength}), but got {steps}",
                nameof(totalLength));
        }

        int batch = sequence.BatchSize;
        int[] featureShape = sequence.Data.Shape[1..];
        int feature = sequence.Data.RowSize;
        int[] shape = batchFirst ? [batch, steps, .. featureShape] : [steps, batch, .. featureShape];
        var padded = new Tensor<T>(shape);
        padded.Data.AsSpan().Fill(paddingValue);
        var rowStart = new long[batch];
        for (int b = 0; b < batch; b++)
        {
            rowStart[b] = batchFirst ? (long)b * steps * feature : (long)b * feature;
        }

        UnpackRows(sequence, padded.Data, rowStart, batchFirst ? feature : (long)batch * feature);
        return (padded, sequence.Lengths());
    }

    /// <summary>
    /// Scatters packed steps back to per-sequence storage: step t of the caller's sequence b goes to
    /// <paramref name="destination"/>[<paramref name="rowStart"/>[b] + t·<paramref name="timeStride"/> …].
    /// Elements of steps past a sequence's length are left as they are (the caller's padding).
    /// </summary>
    public static void UnpackRows<T>(PackedSequence<T> sequence, Span<T> destination, ReadOnlySpan<long> rowStart, long timeStride)
        where T : unmanaged
    {
        int feature = sequence.Data.RowSize;
        ReadOnlySpan<T> source = sequence.Data.Data;
        int row = 0;
        for (int t = 0; t < sequence.BatchSizes.Length; t++)
        {
            for (int j = 0; j < sequence.BatchSizes[t]; j++, row++)
            {
                long target = rowStart[sequence.OriginalIndex(j)] + t * timeStride;
                source.Slice(row * feature, feature).CopyTo(destination.Slice((int)target, feature));
            }
        }
    }

    /// <summary>The caller's indices ordered by decreasing length, ties in the caller's order.</summary>
    public static int[] SortByLengthDescending(ReadOnlySpan<int> lengths)
    {
        // Array.Sort is unstable; sorting (−length, index) pairs makes the order stable.
        var pairs = new (int NegativeLength, int Index)[lengths.Length];
        for (int i = 0; i < pairs.Length; i++)
        {
            pairs[i] = (-lengths[i], i);
        }

        Array.Sort(pairs);
        return Array.ConvertAll(pairs, pair => pair.Index);
    }

    /// <summary>invert_permutation: result[permutation[i]] = i.</summary>
    public static int[] InvertPermutation(ReadOnlySpan<int> permutation)
    {
        var inverse = new int[permutation.Length];
        for (int i = 0; i < permutation.Length; i++)
        {
            inverse[permutation[i]] = i;
        }

        return inverse;
    }

    private static PackedSequence<T> PackCore<T>(ReadOnlySpan<T> source, long[] rowStart, long timeStride, ReadOnlySpan<int> lengths,
        ReadOnlySpan<int> featureShape, bool enforceSorted) where T : unmanaged
    {
        int batch = lengths.Length;
        int feature = (int)Tensor<T>.ElementCount(featureShape);
        int[]? sorted = null;
        if (enforceSorted)
        {
            for (int b = 0; b < batch; b++)
            {
                if (lengths[b] < 0 || (b > 0 && lengths[b] > lengths[b - 1]))
                {
                    throw new ArgumentException(
                        "lengths must be non-negative and sorted in decreasing order when enforceSorted is true " +
                        $"(got [{string.Join(", ", lengths.ToArray())}]); pass enforceSorted: false to sort them", nameof(lengths));
                }
            }
        }
        else
        {
            foreach (int length in lengths)
            {
                ArgumentOutOfRangeException.ThrowIfNegative(length, nameof(lengths));
            }

            sorted = SortByLengthDescending(lengths);
        }

        int Original(int j) => sorted is null ? j : sorted[j];
        int maxLength = batch == 0 ? 0 : lengths[Original(0)];
        var batchSizes = new int[maxLength];
        long total = 0;
        for (int t = 0; t < maxLength; t++)
        {
            int count = 0;
            while (count < batch && lengths[Original(count)] > t)
            {
                count++;
            }

            batchSizes[t] = count;
            total += count;
        }

        var data = new Tensor<T>([(int)total, .. featureShape]);
        var target = data.Data.AsSpan();
        int row = 0;
        for (int t = 0; t < maxLength; t++)
        {
            for (int j = 0; j < batchSizes[t]; j++, row++)
            {
                source.Slice((int)(rowStart[Original(j)] + t * timeStride), feature).CopyTo(target.Slice(row * feature, feature));
            }
        }

        return new PackedSequence<T>(data, batchSizes, sorted, sorted is null ? null : InvertPermutation(sorted), batch);
    }

    private static (T[] Data, int[] Offsets, int[] Lengths, int[] FeatureShape) Concatenate<T>(IReadOnlyList<Tensor<T>> sequences)
        where T : unmanaged
    {
        if (sequences.Count == 0)
        {
            throw new ArgumentException("at least one sequence is needed", nameof(sequences));
        }

        int[] featureShape = sequences[0].Shape[1..];
        var offsets = new int[sequences.Count];
        var lengths = new int[sequences.Count];
        int steps = 0;
        for (int b = 0; b < sequences.Count; b++)
        {
            if (sequences[b].Rank < 1 || !sequences[b].Shape.AsSpan(1).SequenceEqual(featureShape))
            {
                throw new ArgumentException($"sequence {b} is {sequences[b]}; every sequence must be [L, {string.Join(", ", featureShape)}]");
            }

            offsets[b] = steps;
            lengths[b] = sequences[b].Shape[0];
            steps += lengths[b];
        }

        var data = new T[steps * (int)Tensor<T>.ElementCount(featureShape)];
        int at = 0;
        foreach (var sequence in sequences)
        {
            sequence.Data.CopyTo(data, at);
            at += sequence.Data.Length;
        }

        return (data, offsets, lengths, featureShape);
    }
}
